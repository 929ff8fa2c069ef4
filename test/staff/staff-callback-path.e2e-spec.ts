/**
 * The whole path, as people would live it: she asks for a callback by SMS (signed Twilio webhooks to
 * the running app), a staff member signs in, takes it, reveals her number (audited), records "no
 * answer"; the retry job fires at the start of her next safe window (injected clock); she is reached.
 */
import { sql } from 'drizzle-orm';
import { CallbackJobName } from '../../src/callbacks/callback-jobs';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { CallbackScheduler } from '../../src/callbacks/callback.scheduler';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { inboundParams, postTwilio, twilioEnv } from '../sms/twilio-test.harness';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, startStaffApp, THURSDAY_0930, type StaffApp } from './staff-harness';
import { localeText } from '../support/locale-text';

jest.setTimeout(120_000);

/** Menu → talk to a person → consent → testimony → French → morning → weekdays → no voicemail → SMS yes → this number. */
const CALLBACK_BY_SMS = ['Bonjour', '1', '3', '1', '2', '1', '1', '2', '1', '2', '1'];
const FRIDAY_0800 = Date.UTC(2026, 0, 16, 8, 0);
const AGENT = { email: 'awa@sira.test', password: 'agent-password-5678' };

describe('staff work queue: an SMS callback request from her first message to "reached"', () => {
  const prefix = testPrefix('staffe2e');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  const her = malianNumber();
  const localDigits = her.slice(4); // the 8 digits a Malian would write

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('staffe2e');
    app = await startStaffApp(prefix, db.url, twilioEnv(fake));
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  async function say(body: string): Promise<void> {
    const before = fake.bodiesTo(her).length;
    app.clock.advance(1_000);
    expect((await postTwilio(app, TWILIO_SMS_PATH, inboundParams(her, body))).status).toBe(200);
    await eventually(() => fake.bodiesTo(her).length > before, 15_000, `reply to "${body}"`);
    await sleep(150);
  }

  it('goes from her SMS to a completed call, with the number shown only on reveal and audited', async () => {
    for (const text of CALLBACK_BY_SMS) await say(text);
    const contact = await app.app.get(ContactsRepository).findByAddress('sms', her);
    const stored = await app.app.get(CallbackRequestsRepository).findOpenByContact(contact!.id);
    expect(stored).toMatchObject({ topic: 'testimony', callLanguage: 'fr', voicemailSafe: false, smsSafe: true, status: 'pending' });
    expect(fake.bodiesTo(her).some((b) => b.includes(stored!.refCode))).toBe(true); // she was told her code

    // an admin (from configuration) creates an agent who calls in French
    const admin = new StaffClient(app.url);
    expect((await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)).location).toBe('/staff/queue');
    await admin.get('/staff/admin/users');
    const created = await admin.post('/staff/admin/users', { displayName: 'Awa', email: AGENT.email, password: AGENT.password, role: 'agent', languages: ['fr', 'bm'] });
    expect(created.status).toBe(303);

    // the agent sees her request in the queue (topic, language, window), never her number
    const agent = new StaffClient(app.url);
    expect((await agent.login(AGENT.email, AGENT.password)).status).toBe(303);
    const queue = await agent.get('/staff/queue');
    expect(queue.text).toContain(stored!.refCode);
    expect(queue.text).toContain('Témoignage');
    expect(queue.text).toContain('Langue : Français');
    expect(queue.text).toContain('lun–ven 08:00–12:00');
    expect(queue.text).toContain('à appeler maintenant');
    expect(queue.text).not.toContain(localDigits);
    const apiQueue = (await agent.api('GET', '/queue')).json<{ items: Array<Record<string, unknown>> }>();
    expect(apiQueue.items).toEqual([
      expect.objectContaining({ id: stored!.id, topic: 'testimony', callLanguage: 'fr', windows: [{ days: [1, 2, 3, 4, 5], fromMinute: 480, toMinute: 720 }], callableNow: true }),
    ]);
    expect(JSON.stringify(apiQueue)).not.toContain(localDigits);

    // take next → her request; its page warns that no voicemail may be left, and shows no number
    const taken = await agent.post('/staff/queue/take-next');
    expect(taken.location).toBe(`/staff/requests/${stored!.id}?m=claimed`);
    const page = await agent.get(taken.location!);
    expect(page.text).toContain('PAS DE MESSAGE VOCAL');
    expect(page.text).not.toContain(localDigits);

    // reveal: a POST answered with a no-store page holding the number; the audit log has it
    const revealed = await agent.post(`/staff/requests/${stored!.id}/reveal`);
    expect(revealed.status).toBe(200);
    expect(revealed.text).toContain(`href="tel:${her}"`);
    expect(revealed.headers.get('cache-control')).toContain('no-store');
    await admin.get('/staff/queue');
    const audit = await admin.get('/staff/audit');
    expect(audit.text).toMatch(new RegExp(`Awa</td><td>NUMÉRO AFFICHÉ</td><td><a href="/staff/requests/${stored!.id}">${stored!.refCode}`));

    // no answer: a retry at her next window (Friday 08:00), a discreet SMS with only her code, the note encrypted
    const smsBefore = fake.bodiesTo(her).length;
    const noAnswer = await agent.post(`/staff/requests/${stored!.id}/outcome`, { outcome: 'no_answer', note: 'Sonnerie sans réponse' });
    expect(noAnswer.location).toBe(`/staff/requests/${stored!.id}?m=recorded_sms`);
    const scheduler = app.app.get(CallbackScheduler);
    const retry = await scheduler.queue.getJob(`${CallbackJobName.Retry}-${stored!.id}-1`);
    expect(retry!.delay).toBe(FRIDAY_0800 - app.clock.now());
    await eventually(() => fake.bodiesTo(her).length > smsBefore, 15_000, 'status SMS');
    const statusSms = fake.bodiesTo(her).slice(smsBefore);
    expect(statusSms).toHaveLength(1);
    expect(statusSms[0]).toContain(stored!.refCode);
    // a shared phone learns nothing of a call: only "reply STATUT <code>" (issue 19 §5)
    expect(statusSms[0]).toBe(localeText('fr', 'callback:proactive.status').replace('{{code}}', stored!.refCode));
    expect(statusSms[0]).not.toMatch(/sira|violence|viol|réparation|reparation|témoignage|temoignage|victime|juridique/i);
    const dbh = app.app.get<DatabaseHandle>(DATABASE_HANDLE);
    const [noteRow] = await dbh.rows<{ note_enc: string }>(sql`select note_enc from callback_outcomes where request_id = ${stored!.id}`);
    expect(noteRow.note_enc).toMatch(/^v1\./);
    expect(noteRow.note_enc).not.toContain('Sonnerie');

    // Friday 08:00: the retry job fires (promoted, run by the real worker at the injected time)
    app.clock.advance(FRIDAY_0800 - app.clock.now());
    await retry!.promote();
    const requests = app.app.get(CallbackRequestsRepository);
    await eventually(async () => (await requests.findById(stored!.id))?.status === 'pending', 15_000, 'retry back in the queue');
    expect(await requests.findById(stored!.id)).toMatchObject({ attempt: 2, dueAt: new Date(FRIDAY_0800) });

    // a day later the session has ended: sign in again (through the API this time), take it, reveal, reached — no further SMS
    expect((await agent.get('/staff/queue')).location).toBe('/staff/login');
    expect((await agent.apiLogin(AGENT.email, AGENT.password)).status).toBe(200);
    const again = await agent.api('POST', '/queue/take-next');
    expect(again.json()).toMatchObject({ result: 'claimed', request: { id: stored!.id, attempt: 2 } });
    expect((await agent.api('POST', `/requests/${stored!.id}/reveal`)).json()).toMatchObject({ number: her });
    const smsBeforeReached = fake.bodiesTo(her).length;
    const reached = await agent.api('POST', `/requests/${stored!.id}/outcome`, { outcome: 'reached', note: 'Rappel fait' });
    expect(reached.json()).toMatchObject({ request: { status: 'completed' }, smsQueued: false });

    const history = (await requests.transitions(stored!.id)).map((t) => `${t.fromStatus ?? '∅'}>${t.toStatus}`);
    expect(history).toEqual(['∅>pending', 'pending>claimed', 'claimed>no_answer', 'no_answer>pending', 'pending>claimed', 'claimed>completed']);
    const reveals = await dbh.rows<{ n: number }>(sql`select count(*)::int as n from staff_audit_log where action = 'reveal' and request_id = ${stored!.id}`);
    expect(Number(reveals[0].n)).toBe(2);
    await sleep(500);
    expect(fake.bodiesTo(her)).toHaveLength(smsBeforeReached);
  });
});
