import { eq } from 'drizzle-orm';
import { SmsGuards } from '../../src/channels/sms/sms-guards';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { smsCost } from '../../src/common/sms-segments';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { OutboundService } from '../../src/outbound/outbound.service';
import { OutboundJobKind } from '../../src/outbound/outbound.types';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { contentTexts, inboundParams, messageSid, postTwilio, startSmsApp, twilioEnv, twilioSignature, type RunningSmsApp } from './twilio-test.harness';

jest.setTimeout(60_000);

describe('SMS through Twilio: signed webhooks to the running app, replies recorded by a fake Twilio', () => {
  const prefix = testPrefix('twilio');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: RunningSmsApp;
  let contacts: ContactsRepository;
  let database: Database;
  const { content, translator } = contentTexts();

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('twilio');
    app = await startSmsApp(prefix, db.url, twilioEnv(fake));
    contacts = app.app.get(ContactsRepository);
    database = app.app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** She texts `body`; resolves once the replies stop arriving at the fake; returns them. */
  async function say(from: string, body: string): Promise<string[]> {
    const before = fake.bodiesTo(from).length;
    const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, body));
    expect(res.status).toBe(200);
    expect(res.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    await eventually(() => fake.bodiesTo(from).length > before, 10_000, `replies to "${body}"`);
    await settle(from);
    return fake.bodiesTo(from).slice(before);
  }

  async function settle(from: string) {
    let count = -1;
    while (count !== fake.bodiesTo(from).length) {
      count = fake.bodiesTo(from).length;
      await sleep(250);
    }
  }

  const text = (language: string, key: string) => applySmsSpelling(translator.t(language)(key), language, ['bm', 'fr']);
  const overviewKey = () => {
    const flow = content.flowSet.flows['reparations']!;
    return (flow.nodes[flow.start] as { text: string }).text;
  };

  it.each([
    ['bm', 'I ni ce', '2'],
    ['fr', 'Bonjour', '1'],
  ])('a conversation in %s reaches the reparations content; every SMS ≤ 3 segments, Bambara and French in GSM-7', async (language, hello, choice) => {
    const from = malianNumber();
    const languageMenu = await say(from, hello);
    expect(languageMenu.join('\n')).toMatch(/1 Fran[cç]ais/);
    const menu = await say(from, choice);
    expect(menu.length).toBeGreaterThan(0);
    const reparations = await say(from, '1');
    expect(reparations[0]).toBe(text(language, overviewKey()));
    const all = fake.messages.filter((m) => m.to === from);
    expect(all.every((m) => m.from === '+15005550006' && m.statusCallback === 'https://sira.example.org/webhooks/twilio/status')).toBe(true);
    for (const m of all) {
      const cost = smsCost(m.body);
      expect({ body: m.body, segments: cost.segments <= 3 }).toEqual({ body: m.body, segments: true });
      expect({ body: m.body, encoding: cost.encoding }).toEqual({ body: m.body, encoding: 'GSM-7' });
    }
    const contact = (await contacts.findByAddress('sms', from))!;
    expect(contact.language).toBe(language);
    const rows = await database.select().from(outboundMessages).where(eq(outboundMessages.contactId, contact.id));
    expect(rows.length).toBe(all.length);
    expect(rows.every((r) => r.status === 'sent' && r.encoding === 'GSM-7' && (r.segments ?? 9) <= 3)).toBe(true);
    expect(new Set(rows.map((r) => r.providerId))).toEqual(new Set(all.map((m) => m.sid)));
  });

  it('refuses 100 forged requests with 403 and sends nothing', async () => {
    const from = malianNumber();
    const sentBefore = fake.attempts.length;
    const forgeries = Array.from({ length: 100 }, (_, i) => forge(i, from));
    const results = await Promise.all(forgeries.map(({ params, options }) => postTwilio(app, TWILIO_SMS_PATH, params, options)));
    expect(results.map((r) => r.status)).toEqual(forgeries.map(() => 403));
    expect(results.every((r) => !r.text.includes(from) && !/\n\s+at /.test(r.text))).toBe(true);
    await sleep(500);
    expect(fake.attempts.length).toBe(sentBefore);
    expect(await contacts.findByAddress('sms', from)).toBeUndefined();
  });

  /** Forgery i: a body, a URL or one parameter changed by one character, or no / a foreign signature. */
  function forge(i: number, from: string): { params: Record<string, string>; options: Parameters<typeof postTwilio>[3] } {
    const params = inboundParams(from, `Bonjour ${i}`);
    const signed = twilioSignature(TWILIO_SMS_PATH, params);
    const oneChar = (s: string) => s.slice(0, -1) + (s.endsWith('a') ? 'b' : 'a');
    switch (i % 7) {
      case 0: return { params: { ...params, Body: oneChar(params.Body!) }, options: { signature: signed } };
      case 1: return { params: { ...params, From: from.slice(0, -1) + ((Number(from.slice(-1)) + 1) % 10) }, options: { signature: signed } };
      case 2: return { params, options: { signature: twilioSignature(TWILIO_SMS_PATH, params, TEST_AUTH_TOKEN, 'https://sira.example.com') } };
      case 3: return { params, options: { signature: twilioSignature(`${TWILIO_SMS_PATH}x`, params) } };
      case 4: return { params, options: { signature: null } };
      case 5: return { params, options: { signature: twilioSignature(TWILIO_SMS_PATH, params, 'another_auth_token_0123456789ab') } };
      default: return { params: { ...params, MessageSid: oneChar(params.MessageSid!) }, options: { signature: oneChar(signed) } };
    }
  }

  it('processes the same MessageSid posted 5 times at once only once: one set of replies', async () => {
    const from = malianNumber();
    const params = inboundParams(from, 'Bonjour', messageSid());
    const results = await Promise.all(Array.from({ length: 5 }, () => postTwilio(app, TWILIO_SMS_PATH, params)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await eventually(() => fake.bodiesTo(from).length > 0, 10_000, 'replies');
    await settle(from);
    const single = malianNumber();
    const expected = await say(single, 'Bonjour');
    expect(fake.bodiesTo(from)).toEqual(expected);
  });

  it('after STOP sends nothing to her, reply or proactive, until START', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    await say(from, '1');
    const stop = await say(from, 'STOP');
    expect(stop.length).toBe(1);
    const contact = (await contacts.findByAddress('sms', from))!;
    expect(contact.optedOut).toBe(true);
    const count = fake.bodiesTo(from).length;
    expect((await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, '1'))).status).toBe(200);
    const outbound = app.app.get(OutboundService);
    expect(await outbound.enqueueProactive('sms', contact.id, 'fr', [{ text: 'menu:prompt' }])).toEqual([]);
    expect(await outbound.enqueue('sms', { address: from, contactId: contact.id, language: 'fr', outputs: [{ text: 'menu:prompt' }], kind: OutboundJobKind.Proactive })).toEqual([]);
    await sleep(800);
    expect(fake.bodiesTo(from).length).toBe(count);
    const start = await say(from, 'START');
    expect(start.length).toBeGreaterThan(0);
    expect((await contacts.findByAddress('sms', from))!.optedOut).toBe(false);
  });

  it('after her STOP, a distress message still gets the safety answer (she wrote first); she stays opted out', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    await say(from, '1');
    await say(from, 'STOP');
    const safety = await say(from, "il me frappe, j'ai peur");
    expect(safety[0]).toBe(text('fr', 'safety:danger'));
    expect(safety[0].startsWith("Merci de l'avoir dit. Vous n'etes pas seule.")).toBe(true);
    expect((await contacts.findByAddress('sms', from))!.optedOut).toBe(true);
    const count = fake.bodiesTo(from).length;
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, '1'));
    await sleep(800);
    expect(fake.bodiesTo(from).length).toBe(count);
  });

  it('hears distress in the first message of a new number and in the callback phone-number question', async () => {
    const first = malianNumber();
    expect((await say(first, 'SOS'))[0]).toBe(text('fr', 'safety:danger'));
    const from = malianNumber();
    for (const step of ['Bonjour', '1', '3', '1', '1', '1', '1', '1', '1', '1']) await say(from, step);
    expect((await say(from, '2')).join('\n')).toBe(text('fr', 'callback:number.prompt'));
    expect((await say(from, 'au secours il va me tuer'))[0]).toBe(text('fr', 'safety:danger'));
  });

  it('erases her on EFFACER: the confirmation still reaches her, her message records go with her', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    await say(from, '1');
    const contact = (await contacts.findByAddress('sms', from))!;
    expect((await database.select().from(outboundMessages).where(eq(outboundMessages.contactId, contact.id))).length).toBeGreaterThan(0);
    await say(from, 'EFFACER');
    const confirmation = await say(from, '1');
    expect(confirmation.length).toBeGreaterThan(0);
    expect(await contacts.findByAddress('sms', from)).toBeUndefined();
    expect(await database.select().from(outboundMessages).where(eq(outboundMessages.contactId, contact.id))).toEqual([]);
    const sid = fake.messages.filter((m) => m.to === from).at(-1)!.sid;
    const [row] = await database.select().from(outboundMessages).where(eq(outboundMessages.providerId, sid));
    expect([row?.contactId, row?.status]).toEqual([null, 'sent']);
  });

  it('treats the carrier opt-out word UNSUBSCRIBE as STOP, and UNSTOP as START', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    await say(from, 'UNSUBSCRIBE');
    expect((await contacts.findByAddress('sms', from))!.optedOut).toBe(true);
    await say(from, 'UNSTOP');
    expect((await contacts.findByAddress('sms', from))!.optedOut).toBe(false);
  });

  it('answers 400 without a stack to a signed request with missing or malformed fields', async () => {
    const from = malianNumber();
    const cases: Record<string, string>[] = [
      (({ From: _f, ...rest }) => rest)(inboundParams(from, 'x')),
      { ...inboundParams(from, 'x'), MessageSid: 'not-a-sid' },
      { ...inboundParams(from, 'x'), From: 'hello' },
      { ...inboundParams(from, 'x'), Body: 'x'.repeat(1601) },
    ];
    for (const params of cases) {
      const res = await postTwilio(app, TWILIO_SMS_PATH, params);
      expect(res.status).toBe(400);
      expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
      expect(res.text).not.toContain(from);
    }
    expect(await contacts.findByAddress('sms', from)).toBeUndefined();
  });

  it('answers 413 to a body over 64 kB, without a stack', async () => {
    const params = inboundParams(malianNumber(), 'x'.repeat(70_000));
    const res = await postTwilio(app, TWILIO_SMS_PATH, params);
    expect(res.status).toBe(413);
    expect(res.text).not.toMatch(/\n\s+at |node_modules/);
  });

  it('does not answer a number outside the allowed countries, and counts the refusal', async () => {
    const from = '+33612345678';
    const refusedBefore = (await app.app.get(SmsGuards).refusalsToday()).country;
    const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, 'Bonjour'));
    expect(res.status).toBe(200);
    await sleep(500);
    expect(fake.bodiesTo(from)).toEqual([]);
    expect(await contacts.findByAddress('sms', from)).toBeUndefined();
    expect((await app.app.get(SmsGuards).refusalsToday()).country).toBe(refusedBefore + 1);
  });

  it('records delivery receipts by provider id and never moves a record backwards', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    const sid = fake.messages.find((m) => m.to === from)!.sid;
    const receipt = (status: string, extra: Record<string, string> = {}) =>
      postTwilio(app, TWILIO_STATUS_PATH, { MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, MessageStatus: status, To: from, ...extra });
    const rowOf = async () => (await database.select().from(outboundMessages).where(eq(outboundMessages.providerId, sid)))[0]!;
    expect((await receipt('delivered')).status).toBe(200);
    expect((await rowOf()).status).toBe('delivered');
    expect((await receipt('sent')).status).toBe(200);
    expect((await rowOf()).status).toBe('delivered');
    expect((await postTwilio(app, TWILIO_STATUS_PATH, { MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, MessageStatus: 'failed' }, { signature: null })).status).toBe(403);
    expect((await rowOf()).status).toBe('delivered');
    expect((await receipt('exploded')).status).toBe(400);
    expect(Object.keys(await rowOf())).not.toContain('body');
  });

  it('stops the contact when a receipt says 21610 (opted out at the carrier)', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    const sid = fake.messages.find((m) => m.to === from)!.sid;
    const res = await postTwilio(app, TWILIO_STATUS_PATH, { MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, MessageStatus: 'undelivered', ErrorCode: '21610' });
    expect(res.status).toBe(200);
    const contact = (await contacts.findByAddress('sms', from))!;
    expect([contact.optedOut, contact.optedOutSource]).toEqual([true, 'carrier']);
    const row = (await database.select().from(outboundMessages).where(eq(outboundMessages.providerId, sid)))[0]!;
    expect([row.status, row.errorCode]).toEqual(['undelivered', '21610']);
  });

  it('stops the contact when Twilio refuses a send with 21610, and sends her nothing more', async () => {
    const from = malianNumber();
    fake.failNext({ kind: 'status', status: 400, code: 21610 });
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, 'Bonjour'));
    await eventually(async () => (await contacts.findByAddress('sms', from))?.optedOut === true, 10_000, 'opted out');
    expect((await contacts.findByAddress('sms', from))!.optedOutSource).toBe('carrier');
    await settle(from);
    const count = fake.bodiesTo(from).length;
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, '1'));
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, 'au secours, il me frappe'));
    await sleep(800);
    expect(fake.bodiesTo(from).length).toBe(count);
  });

  it('retries a clear 5xx and a 429 (after its Retry-After) and delivers the message once', async () => {
    const from = malianNumber();
    fake.failNext({ kind: 'status', status: 503 }, { kind: 'status', status: 429, code: 20429, retryAfterSeconds: 1 });
    const replies = await say(from, 'Bonjour');
    await settle(from);
    const attempts = fake.attempts.filter((m) => m.to === from);
    expect(attempts.length).toBe(replies.length + 2);
    expect(new Set(replies).size).toBe(replies.length);
    const contact = (await contacts.findByAddress('sms', from))!;
    const rows = await database.select().from(outboundMessages).where(eq(outboundMessages.contactId, contact.id));
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    expect(Math.max(...rows.map((r) => r.attempts))).toBe(3);
  });

  it.each([
    ['timeout', { kind: 'hang' as const }],
    ['connection reset', { kind: 'reset' as const }],
  ])('marks a send ending in a %s unknown and never resends it', async (_what, failure) => {
    const from = malianNumber();
    fake.failNext(failure);
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, 'Bonjour'));
    const contact = async () => (await contacts.findByAddress('sms', from))!;
    await eventually(async () => {
      const c = await contacts.findByAddress('sms', from);
      if (!c) return false;
      const rows = await database.select().from(outboundMessages).where(eq(outboundMessages.contactId, c.id));
      return rows.some((r) => r.status === 'unknown');
    }, 15_000, 'an unknown row');
    await sleep(1500);
    const rows = await database.select().from(outboundMessages).where(eq(outboundMessages.contactId, (await contact()).id));
    const unknown = rows.filter((r) => r.status === 'unknown');
    expect(unknown.length).toBe(1);
    expect(unknown[0]!.attempts).toBe(1);
    expect(fake.attempts.filter((m) => m.to === from).length).toBe(rows.length);
  });
});
