import { sql } from 'drizzle-orm';
import { openTestRedis, type TestRedis, TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { openTestDatabase, type TestDatabase } from '../db/test-databases';
import { callbackTestConfig, countRows, malianNumber, startCallbackApp, texts, type CallbackApp } from './callback-harness';

jest.setTimeout(60_000);

/** Main menu → "talk to a person" → consent yes → topic testimony → French → morning → weekdays → no voicemail → no SMS. */
const FR_UNTIL_NUMBER = ['Bonjour', '1', '3', '1', '2', '1', '1', '2', '1', '1'];
/** Bambara, "I am not safe now", called in Bambara, afternoon, Monday to Saturday (what staff hours offer), voicemail yes, SMS yes. */
const BM_UNTIL_NUMBER = ['Bonjour', '2', '3', '1', '5', '2', '2', '1', '2', '2'];

describe('callback request through the conversation (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let svc: CallbackApp;

  beforeAll(async () => {
    db = await openTestDatabase('postgres', 'callbacks');
    redis = await openTestRedis('callbacks');
  });

  beforeEach(async () => {
    const databaseUrl = await currentDatabaseUrl(db);
    svc = await startCallbackApp(callbackTestConfig({ redisUrl: TEST_REDIS_URL, prefix: redis.prefix, databaseUrl }));
  });

  afterEach(async () => {
    await svc.close();
  });

  afterAll(async () => {
    await redis.close();
    await db.dispose();
  });

  it('stores a French SMS request with her own number, and gives the code of the committed row', async () => {
    const her = malianNumber();
    await svc.conversation('sms', her, FR_UNTIL_NUMBER);
    const last = await svc.send('sms', her, '1'); // "yes, call this number"
    expect(texts(last)).toEqual(['callback:registered', 'menu:prompt']);
    const contact = await svc.contacts.findByAddress('sms', her);
    const stored = await svc.requests.findOpenByContact(contact!.id);
    expect(stored).toMatchObject({ topic: 'testimony', urgent: false, callLanguage: 'fr', voicemailSafe: false, smsSafe: false, status: 'pending' });
    expect(stored!.windows).toEqual([{ days: [1, 2, 3, 4, 5], fromMinute: 480, toMinute: 720 }]);
    expect(last[0].params).toEqual({ code: stored!.refCode });
    expect(await svc.requests.revealNumber(stored!.id)).toBe(her);
    expect(contact).toMatchObject({ consentState: 'given', consentVersion: 'callback-2026-12', hasAddress: true });
    expect((await svc.requests.transitions(stored!.id)).map((t) => [t.fromStatus, t.toStatus, t.actor])).toEqual([[null, 'pending', 'contact']]);
  });

  it('stores a Bambara Telegram request with a typed number as urgent, in her afternoon window', async () => {
    const chat = String(100_000 + Math.floor(Math.random() * 1e6));
    await svc.conversation('telegram', chat, BM_UNTIL_NUMBER);
    const last = await svc.send('telegram', chat, '76 12 34 56');
    expect(texts(last)).toEqual(['callback:registered', 'menu:prompt']);
    const contact = await svc.contacts.findByAddress('telegram', chat);
    const stored = await svc.requests.findOpenByContact(contact!.id);
    expect(stored).toMatchObject({ topic: 'safety', urgent: true, callLanguage: 'bm', voicemailSafe: true, smsSafe: true, channel: 'telegram' });
    expect(stored!.windows).toEqual([{ days: [1, 2, 3, 4, 5, 6], fromMinute: 720, toMinute: 1020 }]);
    expect(last[0].params).toEqual({ code: stored!.refCode });
    expect(await svc.requests.revealNumber(stored!.id)).toBe('+22376123456');
  });

  it('shows the open request instead of asking again', async () => {
    const her = malianNumber();
    await svc.conversation('sms', her, [...FR_UNTIL_NUMBER, '1']);
    const again = await svc.conversation('sms', her, ['0', '3']);
    const open = await svc.requests.findOpenByContact((await svc.contacts.findByAddress('sms', her))!.id);
    expect(texts(again)).toEqual(['callback:open_exists', 'menu:prompt']);
    expect(again[0].params).toEqual({ open_callback: open!.refCode });
    expect(await countRows(svc.db, 'callback_requests')).toBeGreaterThanOrEqual(1);
  });

  it('answers status and cancel by a word and the code, only to the identity that made it', async () => {
    const her = malianNumber();
    const other = malianNumber();
    await svc.conversation('sms', her, [...FR_UNTIL_NUMBER, '1']);
    const request = await svc.requests.findOpenByContact((await svc.contacts.findByAddress('sms', her))!.id);
    const code = request!.refCode;

    expect(await svc.send('sms', her, `STATUT ${code.toLowerCase()}`)).toEqual([{ text: 'callback:status.pending', params: { code } }, { text: 'callback:change.offer' }]);
    expect(await svc.send('sms', other, `ANNULER ${code}`)).toEqual([{ text: 'callback:not_found', params: { code } }]);
    expect((await svc.requests.findById(request!.id))!.status).toBe('pending');

    expect(await svc.send('sms', her, `annuler ${code}`)).toEqual([{ text: 'callback:cancelled', params: { code } }]);
    expect((await svc.requests.findById(request!.id))!.status).toBe('cancelled');
    expect(await svc.send('sms', her, `ANNULER ${code}`)).toEqual([{ text: 'callback:cannot_cancel', params: { code } }]);
  });

  it('STATUT of her open request offers a change; CHANGER changes the call time, then voicemail, said done once stored', async () => {
    const her = malianNumber();
    await svc.conversation('sms', her, [...FR_UNTIL_NUMBER, '1']);
    const request = (await svc.requests.findOpenByContact((await svc.contacts.findByAddress('sms', her))!.id))!;
    const code = request.refCode;
    expect(request).toMatchObject({ voicemailSafe: false, smsSafe: false, windows: [{ days: [1, 2, 3, 4, 5], fromMinute: 480, toMinute: 720 }] });

    expect(await svc.send('sms', her, `STATUT ${code}`)).toEqual([{ text: 'callback:status.pending', params: { code } }, { text: 'callback:change.offer' }]);
    expect(texts(await svc.send('sms', her, 'CHANGER'))).toEqual(['callback:change.prompt']);
    expect(texts(await svc.send('sms', her, '1'))).toEqual(['callback:time.prompt']);
    expect(texts(await svc.send('sms', her, '2'))).toEqual(['callback:days.prompt']); // afternoon
    const done = await svc.send('sms', her, '1'); // Monday to Saturday
    expect(done[0]).toEqual({ text: 'callback:change.done', params: { code } });
    expect(await svc.requests.findById(request.id)).toMatchObject({ status: 'pending', windows: [{ days: [1, 2, 3, 4, 5, 6], fromMinute: 720, toMinute: 1020 }], voicemailSafe: false });

    expect(texts(await svc.conversation('sms', her, ['changer', '2', '2']))).toEqual(['callback:change.done', 'menu:prompt']); // voicemail: yes
    expect(await svc.requests.findById(request.id)).toMatchObject({ voicemailSafe: true, smsSafe: false });

    // closed: the status is said, no change is offered, and CHANGER finds no open request
    await svc.send('sms', her, `ANNULER ${code}`);
    expect(await svc.send('sms', her, `STATUT ${code}`)).toEqual([{ text: 'callback:status.cancelled', params: { code } }]);
    expect(texts(await svc.send('sms', her, 'CHANGER'))).toEqual(['callback:change.none', 'menu:prompt']);
  });

  it('keeps nothing when she does not consent, and the menu stays open to her', async () => {
    const her = malianNumber();
    const last = await svc.conversation('sms', her, ['Bonjour', '1', '3', '2']);
    expect(texts(last)).toEqual(['callback:consent.refused', 'menu:prompt']);
    const contact = await svc.contacts.findByAddress('sms', her);
    expect(contact).toMatchObject({ consentState: 'none', hasAddress: false });
    expect(await svc.requests.findOpenByContact(contact!.id)).toBeUndefined();
  });

  it('EFFACER removes her request and its queued jobs', async () => {
    const her = malianNumber();
    await svc.conversation('sms', her, [...FR_UNTIL_NUMBER, '1']);
    const contact = await svc.contacts.findByAddress('sms', her);
    const request = await svc.requests.findOpenByContact(contact!.id);
    const jobIdsOf = async () => (await svc.scheduler.queue.getJobs(['delayed', 'waiting', 'active'])).filter((j) => j?.id?.includes(request!.id)).map((j) => j.id);
    expect(await jobIdsOf()).toEqual([`escalate-${request!.id}-1`]);
    expect(texts(await svc.conversation('sms', her, ['EFFACER', '1']))).toContain('privacy:erased');
    expect(await svc.requests.findById(request!.id)).toBeUndefined();
    expect(await svc.requests.transitions(request!.id)).toEqual([]);
    expect(await jobIdsOf()).toEqual([]);
  });

  it('sends no code when the row cannot be committed, only "could not register"', async () => {
    const her = malianNumber();
    await svc.db.db.execute(sql`create or replace function sira_test_refuse() returns trigger as $$ begin raise exception 'refused by test'; end $$ language plpgsql`);
    await svc.db.db.execute(sql`create trigger sira_test_refuse before insert on callback_requests for each row execute function sira_test_refuse()`);
    try {
      const last = await svc.conversation('sms', her, [...FR_UNTIL_NUMBER, '1']);
      expect(last).toEqual([{ text: 'callback:register_failed' }, expect.objectContaining({ text: 'menu:prompt' })]);
      expect(JSON.stringify(svc.ports.sms.sent)).not.toMatch(/"code"/);
      expect(await svc.requests.findOpenByContact((await svc.contacts.findByAddress('sms', her))!.id)).toBeUndefined();
    } finally {
      await svc.db.db.execute(sql`drop trigger sira_test_refuse on callback_requests`);
    }
  });
});

async function currentDatabaseUrl(db: TestDatabase): Promise<string> {
  const [row] = await db.handle.rows<{ name: string }>(sql`select current_database() as name`);
  return `${process.env.SIRA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/${row.name}`;
}
