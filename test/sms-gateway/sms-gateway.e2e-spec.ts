import { eq } from 'drizzle-orm';
import { SmsGatewayStatus } from '../../src/channels/sms-gateway/sms-gateway-status.service';
import { signSmsGatewayBody } from '../../src/channels/sms-gateway/sms-gateway-signature';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { smsCost } from '../../src/common/sms-segments';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { LogCapture } from '../conversations/conversation-harness';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber as anyMalianNumber, sleep, testPrefix } from '../sms/sms-test.helpers';
import { contentTexts } from '../sms/twilio-test.harness';
import { newFakePhone, receivedPayload, relayEnv, settle, startRelayApp, webhookUrl } from './sms-gateway-test.harness';

jest.setTimeout(90_000);

describe('SMS through a relay phone (SMS Gateway for Android) only: signed webhooks in, the fake app API out', () => {
  const prefix = testPrefix('relay');
  const bamako = newFakePhone(); // one phone, two SIMs: Orange (1), Moov (2)
  const mopti = newFakePhone(); // a second phone that never calls
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Awaited<ReturnType<typeof startRelayApp>>;
  let contacts: ContactsRepository;
  let database: Database;
  const { content, translator } = contentTexts();
  const logs = new LogCapture();
  const numbers: string[] = [];
  const malianNumber = () => {
    const n = anyMalianNumber();
    numbers.push(n);
    return n;
  };

  beforeAll(async () => {
    await bamako.start();
    await mopti.start();
    db = await createTestDatabase('relay');
    app = await startRelayApp(
      prefix,
      db.url,
      relayEnv([
        { id: 'orange', phone: 'bamako', fake: bamako, simNumber: 1, segmentsPerMinute: 120 },
        { id: 'moov', phone: 'bamako', fake: bamako, simNumber: 2 },
        { id: 'mopti', fake: mopti },
      ], { LOG_LEVEL: 'debug' }),
      { logs },
    );
    contacts = app.app.get(ContactsRepository);
    database = app.app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
    await bamako.stop();
    await mopti.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const nowSeconds = () => Math.floor(app.clock.now() / 1000);
  const post = (event: string, payload: unknown, phone = 'bamako', options: Parameters<typeof bamako.webhook>[3] = {}) =>
    bamako.webhook(webhookUrl(app, phone), event, payload, { timestamp: nowSeconds(), ...options });

  /** She texts `text` to a SIM; resolves once the replies stop arriving; returns them. */
  async function say(from: string, text: string, sim = 1, receivedAt = new Date()): Promise<string[]> {
    const before = bamako.textsTo(from).length;
    const res = await post('sms:received', receivedPayload(from, text, receivedAt, sim));
    expect(res.status).toBe(200);
    await eventually(() => bamako.textsTo(from).length > before, 15_000, `replies to "${text}"`);
    await settled(from);
    return bamako.textsTo(from).slice(before);
  }

  /** Every reply to her has left (none queued or being sent) and no more arrive. */
  async function settled(from: string) {
    await eventually(async () => (await rowsOf(from)).every((r) => r.status !== 'queued' && r.status !== 'sending'), 15_000, 'replies sent');
    await settle(() => bamako.textsTo(from).length);
  }

  const text = (language: string, key: string) => applySmsSpelling(translator.t(language)(key), language, ['bm', 'fr']);
  const overviewKey = () => {
    const flow = content.flowSet.flows['reparations']!;
    return (flow.nodes[flow.start] as { text: string }).text;
  };
  const rowsOf = async (from: string) => {
    const contact = await contacts.findByAddress('sms', from);
    if (!contact) return [];
    return database.select().from(outboundMessages).where(eq(outboundMessages.contactId, contact.id));
  };

  it.each([
    ['bm', 'I ni ce', '2'],
    ['fr', 'Bonjour', '1'],
  ])('a conversation in %s reaches the reparations content, every reply from the SIM she wrote to', async (language, hello, choice) => {
    const from = malianNumber();
    expect((await say(from, hello)).join('\n')).toMatch(/1 Fran[cç]ais/);
    expect((await say(from, choice)).length).toBeGreaterThan(0);
    const reparations = await say(from, '1');
    expect(reparations[0]).toBe(text(language, overviewKey()));
    const sent = bamako.messages.filter((m) => m.phoneNumbers.includes(from));
    expect(sent.every((m) => m.authorized && m.simNumber === 1 && m.withDeliveryReport === true && m.phoneNumbers.length === 1)).toBe(true);
    for (const m of sent) expect({ text: m.text, segments: smsCost(m.text).segments <= 3, encoding: smsCost(m.text).encoding }).toEqual({ text: m.text, segments: true, encoding: 'GSM-7' });
    const contact = (await contacts.findByAddress('sms', from))!;
    expect(contact).toMatchObject({ language, source: 'sms-gateway:orange' });
    const rows = await rowsOf(from);
    expect(rows.length).toBe(sent.length);
    expect(rows.every((r) => r.status === 'sent' && r.providerId === r.id)).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(sent.map((m) => m.id)));
  });

  it('paces one SIM: each SMS waits the segments of the one before (120 segments a minute: 500 ms each)', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    const sent = bamako.messages.filter((m) => m.simNumber === 1);
    expect(sent.length).toBeGreaterThan(1);
    // Over any run of sends, the time taken covers the segments of every SMS before the last, less one
    // interval of slack: the SIM's turn is booked when a send starts, and its arrival at the phone comes
    // a moment later, longer for one send than the next on a loaded machine (30 ms of slack per SMS was
    // once 5 ms short in a full run).
    for (let i = 0; i < sent.length; i++) {
      let spent = 0;
      for (let j = i + 1; j < sent.length; j++) {
        spent += smsCost(sent[j - 1]!.text).segments;
        expect({ from: i, to: j, paced: sent[j]!.at - sent[i]!.at >= (spent - 1) * 500 }).toEqual({ from: i, to: j, paced: true });
      }
    }
  });

  it('answers a second SIM from that SIM, and the reply follows her when she writes to the other one', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour', 2);
    expect(bamako.messages.filter((m) => m.phoneNumbers.includes(from)).every((m) => m.simNumber === 2)).toBe(true);
    expect((await contacts.findByAddress('sms', from))!.source).toBe('sms-gateway:moov');
    const before = bamako.textsTo(from).length;
    await say(from, '1', 1);
    const later = bamako.messages.filter((m) => m.phoneNumbers.includes(from)).slice(before);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((m) => m.simNumber === 1)).toBe(true);
  });

  it('answers the same text sent twice on purpose twice, but a replayed or retried webhook once', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    await say(from, '1');
    const first = await say(from, '1', 1, new Date(Date.now() - 5_000));
    const second = await say(from, '1', 1, new Date());
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);

    const payload = receivedPayload(from, '9', new Date());
    const count = () => bamako.textsTo(from).length;
    const before = count();
    const original = await post('sms:received', payload);
    await eventually(() => count() > before, 15_000, 'replies to 9');
    await settled(from);
    const once = count();
    // The app's own retry: the same event signed again later; an attacker's replay: the same request.
    const retried = await post('sms:received', payload, 'bamako', { timestamp: nowSeconds() + 1 });
    const replayed = await bamako.webhook(webhookUrl(app, 'bamako'), 'x', null, { rawBody: original.body, timestamp: nowSeconds() + 1, signature: signSmsGatewayBody(bamako.signingKey, original.body, String(nowSeconds() + 1)) });
    expect([original.status, retried.status, replayed.status]).toEqual([200, 200, 200]);
    await sleep(1_500);
    expect(count()).toBe(once);
  });

  it('refuses 100 forged webhooks with 403 and processes nothing', async () => {
    const from = malianNumber();
    const attemptsBefore = bamako.attempts.length + mopti.attempts.length;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => forge(i, from)));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 403));
    expect(results.every((r) => !r.text.includes(from.slice(1)) && !/\n\s+at /.test(r.text))).toBe(true);
    await sleep(800);
    expect(bamako.attempts.length + mopti.attempts.length).toBe(attemptsBefore);
    expect(await contacts.findByAddress('sms', from)).toBeUndefined();
  });

  /** Forgery i: a changed body, another key, no or a broken signature, an old or future timestamp, an unknown phone. */
  function forge(i: number, from: string) {
    const url = webhookUrl(app, 'bamako');
    const payload = receivedPayload(from, `Bonjour ${i}`);
    const body = JSON.stringify({ event: 'sms:received', payload });
    const now = nowSeconds();
    const sign = (b: string, t: number, key = bamako.signingKey) => signSmsGatewayBody(key, b, String(t));
    switch (i % 8) {
      case 0: return bamako.webhook(url, '', null, { rawBody: body.replace('Bonjour', 'Bonjoor'), timestamp: now, signature: sign(body, now) });
      case 1: return bamako.webhook(url, '', null, { rawBody: body, timestamp: now, signature: sign(body, now, mopti.signingKey) });
      case 2: return bamako.webhook(url, '', null, { rawBody: body, timestamp: now, signature: null });
      // well outside the 300 s window (the exact edge is in the unit spec): 100 requests at once take a while
      case 3: return bamako.webhook(url, '', null, { rawBody: body, timestamp: now - 600, signature: sign(body, now - 600) });
      case 4: return bamako.webhook(url, '', null, { rawBody: body, timestamp: now + 600, signature: sign(body, now + 600) });
      case 5: return bamako.webhook(url, '', null, { rawBody: body, timestamp: now + 1, signature: sign(body, now) });
      case 6: return bamako.webhook(webhookUrl(app, 'timbuktu'), '', null, { rawBody: body, timestamp: now, signature: sign(body, now) });
      default: return bamako.webhook(url, '', null, { rawBody: body, timestamp: now, signature: 'f'.repeat(64) });
    }
  }

  it('records delivery receipts, settles a send that ended unknown, and never moves a row backwards', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    await say(from, '1');
    const [a, b] = (await rowsOf(from)).map((r) => r.id);
    expect((await post('sms:delivered', { messageId: a, sender: null, recipient: from, simNumber: 1, deliveredAt: new Date().toISOString() })).status).toBe(200);
    expect((await post('sms:sent', { messageId: a, simNumber: 1, sentAt: new Date().toISOString() })).status).toBe(200);
    expect((await post('sms:failed', { messageId: b, simNumber: 1, reason: 'RESULT_ERROR_LIMIT_EXCEEDED', failedAt: new Date().toISOString() })).status).toBe(200);
    const byId = new Map((await rowsOf(from)).map((r) => [r.id, r]));
    expect(byId.get(a!)).toMatchObject({ status: 'delivered' });
    expect(byId.get(a!)!.deliveredAt).not.toBeNull();
    expect(byId.get(b!)).toMatchObject({ status: 'failed', errorCode: 'RESULT_ERROR_LIMIT_EXCEEDED' });

    bamako.failNext({ kind: 'hang' });
    const count = (await rowsOf(from)).length;
    await post('sms:received', receivedPayload(from, '1'));
    await eventually(async () => (await rowsOf(from)).some((r) => r.status === 'unknown'), 15_000, 'a send ending unknown');
    const unknown = (await rowsOf(from)).find((r) => r.status === 'unknown')!;
    expect((await rowsOf(from)).length).toBeGreaterThan(count);
    await post('sms:delivered', { messageId: unknown.id, simNumber: 1 });
    expect((await rowsOf(from)).find((r) => r.id === unknown.id)).toMatchObject({ status: 'delivered', providerId: unknown.id });
  });

  it('refuses a receipt without a valid signature: the row stays as it was', async () => {
    const from = malianNumber();
    await say(from, 'Bonjour');
    const [row] = await rowsOf(from);
    const res = await post('sms:failed', { messageId: row!.id, reason: 'x' }, 'bamako', { signingKey: mopti.signingKey });
    expect(res.status).toBe(403);
    expect((await rowsOf(from)).find((r) => r.id === row!.id)!.status).toBe('sent');
  });

  it('keeps a last-seen time per phone; a phone silent longer than the setting is an outage in /health/ready and for staff', async () => {
    expect((await post('system:ping', { health: { status: 'pass' } })).status).toBe(200);
    const status = app.app.get(SmsGatewayStatus);
    const fresh = await status.phones();
    expect(fresh.find((p) => p.phone === 'bamako')).toMatchObject({ outage: false, lines: ['sms-gateway:orange', 'sms-gateway:moov'] });
    expect(fresh.find((p) => p.phone === 'bamako')!.lastSeenAt).not.toBeNull();
    expect(fresh.find((p) => p.phone === 'mopti')).toMatchObject({ outage: false, lastSeenAt: null });

    app.clock.offsetMs += 16 * 60_000; // default SMS_GATEWAY_SILENT_MINUTES is 15
    expect((await post('system:ping', { health: { status: 'pass' } })).status).toBe(200);
    expect(await status.outages()).toEqual(['mopti']);
    const res = await fetch(`${app.url}/health/ready`);
    const health = (await res.json()) as { status: string; info: Record<string, { status: string; degraded: boolean; outages: string[]; phones: unknown[] }> };
    expect(res.status).toBe(200);
    expect(health.info.sms_gateway).toMatchObject({ status: 'up', degraded: true, outages: ['mopti'] });
    expect(JSON.stringify(health)).not.toMatch(/\+223/);

    app.clock.offsetMs += 16 * 60_000;
    expect((await status.outages()).sort()).toEqual(['bamako', 'mopti']);
  });

  it('never writes her number, her words, a password or a signing key to the logs', async () => {
    const text = logs.text();
    expect(text).toContain('sms message handled'); // the log is not empty: handling was logged
    for (const secret of [...numbers.map((n) => n.slice(-8)), 'I ni ce', 'Bonjour', bamako.password, bamako.signingKey, mopti.signingKey]) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
