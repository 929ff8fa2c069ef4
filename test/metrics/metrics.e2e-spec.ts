import { randomBytes } from 'node:crypto';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { SmsRedisKeys } from '../../src/channels/sms/sms-redis-keys';
import { CallbackScheduler } from '../../src/callbacks';
import { REDIS, type RedisClient } from '../../src/redis/redis.module';
import { FakeSmsGatewayPhone } from '../fakes/fake-sms-gateway.server';
import { eventually, TEST_ACCOUNT_SID } from '../sms/sms-test.helpers';
import { inboundParams, postTwilio, textAndWait } from '../sms/twilio-test.harness';
import { webhookUrl, receivedPayload } from '../sms-gateway/sms-gateway-test.harness';
import { newFakePhone, postTelegramUpdate, postWhatsAppWebhook, startApp, type TestApp } from '../support/app-harness';
import { textUpdate } from '../telegram/telegram-updates';
import { FakeCall, VOICE_NUMBER } from '../voice/voice-call.helpers';
import { textMessage } from '../whatsapp/whatsapp-payloads';
import { scrape, valueOf, type Exposition } from './prometheus-text';

jest.setTimeout(120_000);

const TOKEN = randomBytes(32).toString('base64url');
/** A code as the confirmation shows it: six symbols of the unambiguous alphabet. */
const CODE = /\b([A-HJKMNP-Z2-9]{6})\b/;

/** Distinctive values that must never appear in /metrics (each one unlikely anywhere else). */
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
const HER_NUMBER = `+2237${digits(7)}`;
const RELAY_SENDER = `+2236${digits(7)}`;
/** the relay phone is named like a number: its name is in its webhook's path, never in a label. */
const RELAY_PHONE = `2237${digits(7)}`;
const CHAT_ID = 700_000_000 + Number(digits(8));
const WA_ID = `2239${digits(7)}`;
const BODY = `Zinnia canary ${randomBytes(6).toString('hex')}`;

/**
 * Issue 27 "Operations metrics": the whole service with every channel at local fakes, real webhooks
 * with real signatures, then GET /metrics as Prometheus scrapes it.
 */
describe('GET /metrics (Prometheus, METRICS_TOKEN)', () => {
  let app: TestApp;
  let phone: FakeSmsGatewayPhone;
  let refCode: string;
  /** webhook requests this test made, per channel (the histogram must count exactly these). */
  const posted: Record<string, number> = { twilio_sms: 0, twilio_voice: 0, sms_gateway: 0, telegram: 0, whatsapp: 0 };
  let before: Exposition;

  const scrapeOk = async () => {
    const res = await scrape(app.url, TOKEN);
    expect(res.status).toBe(200);
    expect(res.cacheControl).toBe('no-store');
    return res;
  };

  beforeAll(async () => {
    phone = await newFakePhone().start();
    app = await startApp({
      label: 'metrics',
      twilio: true,
      telegram: true,
      whatsapp: true,
      relay: [{ id: 'orange', phone: RELAY_PHONE, fake: phone }],
      // the spool drainer would empty a spool the test fills: it runs once a minute here
      spoolIntervalMs: 60_000,
      env: { METRICS_TOKEN: TOKEN, TWILIO_VOICE_NUMBERS: VOICE_NUMBER },
    });
    before = (await scrapeOk()).exposition!;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await phone?.stop();
  });

  it('answers in the text format, not cached, with the process metrics and every Sira metric family', async () => {
    const res = await scrapeOk();
    expect(res.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const types = res.exposition!.types;
    expect(types.get('sira_webhook_duration_seconds')).toBe('histogram');
    expect(types.get('sira_outbound_total')).toBe('counter');
    expect(types.get('sira_provider_errors_total')).toBe('counter');
    for (const gauge of ['sira_queue_jobs', 'sira_callback_open', 'sira_callback_waiting_seconds', 'sira_sms_gateway_silent_seconds', 'sira_sms_gateway_outage', 'sira_scrape_source_up', 'sira_process_info']) {
      expect([gauge, types.get(gauge)]).toEqual([gauge, 'gauge']);
    }
    for (const processMetric of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      expect(types.has(processMetric)).toBe(true);
    }
    expect(valueOf(res.exposition!, 'sira_process_info', { role: 'all' })).toBe(1);
    expect(valueOf(res.exposition!, 'sira_scrape_source_up', { source: 'redis' })).toBe(1);
    expect(valueOf(res.exposition!, 'sira_scrape_source_up', { source: 'database' })).toBe(1);
  });

  it('refuses a scrape without the token or with another one (401, nothing read)', async () => {
    for (const header of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      const res = await scrape(app.url, null, header);
      expect([header, res.status]).toEqual([header, 401]);
      expect(res.text).not.toContain('sira_');
    }
    const res = await fetch(`${app.url}/metrics`);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    // the scheme is case-insensitive (RFC 6750)
    expect((await scrape(app.url, null, `bearer ${TOKEN}`)).status).toBe(200);
  });

  it('times every webhook by channel — signed ones and refused ones — and counts outbound messages where they settle', async () => {
    // SMS by Twilio: she asks for an urgent callback (distress, "a person calls me", "this number")
    const say = async (body: string) => {
      posted.twilio_sms++;
      return (await textAndWait(app, app.twilio!, HER_NUMBER, body)).join('\n');
    };
    await say('Bonjour');
    await say('1');
    await say('il me frappe');
    await say('1');
    const confirmation = await say('1');
    refCode = CODE.exec(confirmation)![1]!;
    // a delivery receipt for her first reply
    const sid = app.twilio!.messages.find((m) => m.to === HER_NUMBER)!.sid;
    posted.twilio_sms++;
    expect((await postTwilio(app, TWILIO_STATUS_PATH, { MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, MessageStatus: 'delivered' })).status).toBe(200);
    // a forged one: refused (403) before its body is read, timed all the same
    posted.twilio_sms++;
    expect((await postTwilio(app, TWILIO_SMS_PATH, inboundParams(HER_NUMBER, BODY), { signature: null })).status).toBe(403);

    // Telegram: her words, with the secret; one without it (401)
    posted.telegram++;
    expect((await postTelegramUpdate(app.url, textUpdate(CHAT_ID, BODY))).status).toBe(200);
    posted.telegram++;
    expect((await postTelegramUpdate(app.url, textUpdate(CHAT_ID, BODY), null)).status).toBe(401);
    await eventually(() => app.telegram!.callsOf('sendMessage', CHAT_ID).length > 0, 10_000, 'the Telegram reply');

    // WhatsApp, signed by the app secret
    posted.whatsapp++;
    expect((await postWhatsAppWebhook(app.url, textMessage(WA_ID, BODY))).status).toBe(200);
    await eventually(() => app.whatsapp!.callsTo(WA_ID).length > 0, 10_000, 'the WhatsApp reply');

    // the relay phone: a heartbeat and an SMS she sent through it (its path names the phone)
    posted.sms_gateway++;
    expect((await phone.webhook(webhookUrl(app, RELAY_PHONE), 'system:ping', { health: { status: 'pass' } })).status).toBe(200);
    posted.sms_gateway++;
    expect((await phone.webhook(webhookUrl(app, RELAY_PHONE), 'sms:received', receivedPayload(RELAY_SENDER, BODY))).status).toBe(200);
    await eventually(() => phone.textsTo(RELAY_SENDER).length > 0, 10_000, 'the relay reply');

    // a phone call into the voice menus
    const call = new FakeCall(app, HER_NUMBER);
    posted.twilio_voice++;
    await call.dial();
    posted.twilio_voice++;
    await call.press('1');

    const sent = () => ({
      sms: app.twilio!.messages.length + phone.messages.length,
      telegram: app.telegram!.callsOf('sendMessage').length,
      whatsapp: app.whatsapp!.calls.length,
    });
    const delta = (e: Exposition, name: string, labels: Record<string, string>) => (valueOf(e, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);
    let now!: Exposition;
    await eventually(async () => {
      now = (await scrapeOk()).exposition!;
      const s = sent();
      return (['sms', 'telegram', 'whatsapp'] as const).every((channel) => delta(now, 'sira_outbound_total', { channel, outcome: 'sent' }) === s[channel]);
    }, 15_000, 'every send counted once');
    expect(sent().sms).toBeGreaterThanOrEqual(6);
    expect(delta(now, 'sira_outbound_total', { channel: 'sms', outcome: 'delivered' })).toBe(1);

    await eventually(async () => {
      now = (await scrapeOk()).exposition!;
      return Object.entries(posted).every(([channel, n]) => delta(now, 'sira_webhook_duration_seconds_count', { channel }) === n);
    }, 5_000, 'every webhook timed');
    for (const [channel, n] of Object.entries(posted)) {
      expect([channel, delta(now, 'sira_webhook_duration_seconds_count', { channel })]).toEqual([channel, n]);
      // the last bucket holds them all; the sum is a duration, not a count
      expect(delta(now, 'sira_webhook_duration_seconds_bucket', { channel, le: '+Inf' })).toBe(n);
      expect(delta(now, 'sira_webhook_duration_seconds_sum', { channel })).toBeLessThan(n * 15);
    }
    // the staff pages and /metrics itself are not webhooks
    const channels = new Set(now.samples.filter((s) => s.name === 'sira_webhook_duration_seconds_count').map((s) => s.labels.channel));
    expect([...channels].sort()).toEqual(Object.keys(posted).sort());
  });

  it("counts a provider's refusal by provider and code, and the message it failed", async () => {
    const start = (await scrapeOk()).exposition!;
    const delta = (e: Exposition, name: string, labels: Record<string, string>) => (valueOf(e, name, labels) ?? 0) - (valueOf(start, name, labels) ?? 0);
    app.twilio!.failNext({ kind: 'status', status: 400, code: 21211, message: 'Invalid To number' });
    posted.twilio_sms++;
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(HER_NUMBER, 'menu'));
    app.telegram!.failNext('sendMessage', { status: 400, description: 'Bad Request: chat not found' }, { chatId: CHAT_ID });
    posted.telegram++;
    await postTelegramUpdate(app.url, textUpdate(CHAT_ID, 'menu'));
    app.whatsapp!.failNext({ status: 400, code: 131026 }, { to: WA_ID });
    posted.whatsapp++;
    await postWhatsAppWebhook(app.url, textMessage(WA_ID, 'menu'));

    let now!: Exposition;
    await eventually(async () => {
      now = (await scrapeOk()).exposition!;
      return (
        delta(now, 'sira_provider_errors_total', { provider: 'twilio', code: '21211' }) === 1 &&
        delta(now, 'sira_provider_errors_total', { provider: 'telegram', code: '400' }) === 1 &&
        delta(now, 'sira_provider_errors_total', { provider: 'whatsapp', code: '131026' }) === 1
      );
    }, 15_000, 'the three refusals counted');
    await eventually(async () => {
      now = (await scrapeOk()).exposition!;
      return (['sms', 'telegram', 'whatsapp'] as const).every((channel) => delta(now, 'sira_outbound_total', { channel, outcome: 'failed' }) === 1);
    }, 15_000, 'the three failed messages counted');
  });

  it('reads the queues and the open requests at scrape time: the same as BullMQ and the database say', async () => {
    const now = (await scrapeOk()).exposition!;
    // her urgent request is open; nobody else asked
    expect(valueOf(now, 'sira_callback_open', { urgency: 'urgent' })).toBe(1);
    expect(valueOf(now, 'sira_callback_open', { urgency: 'normal' })).toBe(0);
    expect(valueOf(now, 'sira_callback_waiting_seconds', { urgency: 'urgent' })).toBeGreaterThanOrEqual(0);
    // the callback queue holds her request's timers (staff notice, escalation): as BullMQ counts them
    const counts = await app.get<CallbackScheduler>(CallbackScheduler).queue.getJobCounts('delayed', 'waiting', 'active');
    for (const state of ['delayed', 'waiting', 'active'] as const) expect([state, valueOf(now, 'sira_queue_jobs', { queue: 'callbacks', state })]).toEqual([state, counts[state]]);
    expect(counts.delayed + counts.waiting + counts.active).toBeGreaterThan(0);
    for (const queue of ['callbacks', 'privacy', 'outbound-sms', 'outbound-telegram', 'outbound-whatsapp', 'voice-return-calls']) {
      expect([queue, valueOf(now, 'sira_queue_jobs', { queue, state: 'failed' })]).toEqual([queue, expect.any(Number)]);
    }
    // the SMS spool (inbound messages waiting for the database): its length in Redis
    expect(valueOf(now, 'sira_queue_jobs', { queue: 'sms-spool', state: 'waiting' })).toBe(0);
    const redis = app.get<RedisClient>(REDIS);
    const spool = new SmsRedisKeys(app.prefix).spool();
    await redis.rPush(spool, ['x', 'y']);
    try {
      expect(valueOf((await scrapeOk()).exposition!, 'sira_queue_jobs', { queue: 'sms-spool', state: 'waiting' })).toBe(2);
    } finally {
      await redis.del(spool);
    }
    // the relay phone, by its position: heard from a moment ago
    expect(valueOf(now, 'sira_sms_gateway_silent_seconds', { relay: '1' })).toBeLessThan(120);
    expect(valueOf(now, 'sira_sms_gateway_outage', { relay: '1' })).toBe(0);
  });

  it('carries no number, chat id, text or reference code in any label or anywhere in the answer (canary scan)', async () => {
    const { text, exposition } = await scrapeOk();
    expect(refCode).toMatch(CODE);
    const canaries = [HER_NUMBER, HER_NUMBER.slice(1), HER_NUMBER.slice(-8), RELAY_SENDER, RELAY_SENDER.slice(1), RELAY_PHONE, String(CHAT_ID), WA_ID, BODY, BODY.split(' ').pop()!, refCode, TOKEN];
    for (const canary of canaries) expect([canary, text.includes(canary)]).toEqual([canary, false]);
    // and no label value could be one: short words of a fixed set, no run of digits, nothing free-form
    for (const sample of exposition!.samples) {
      for (const [key, value] of Object.entries(sample.labels)) {
        if (sample.name.startsWith('nodejs_') || sample.name.startsWith('process_')) continue; // prom-client's own (version, gc kind)
        expect([sample.name, key, value]).toEqual([sample.name, key, expect.stringMatching(key === 'le' ? /^(\+Inf|\d+(\.\d+)?)$/ : /^[a-z_-]{1,24}$|^\d{1,6}$/)]);
      }
    }
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist (404, as any unknown route)', async () => {
    const app = await startApp({ label: 'metricsoff' });
    try {
      const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('sira_');
      expect((await fetch(`${app.url}/nothing-here`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
