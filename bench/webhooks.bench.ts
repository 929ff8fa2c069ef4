import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { EMPTY_TWIML } from '../src/channels/twilio/twilio-webhook.controller';
import { TWILIO_SMS_PATH } from '../src/channels/twilio/twilio-webhook.paths';
import { FakeTelegramServer } from '../test/fakes/fake-telegram.server';
import { FakeTwilioServer } from '../test/fakes/fake-twilio.server';
import { SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, createTestDatabase, deleteRedisPrefix } from '../test/sms/sms-test.helpers';
import { inboundParams } from '../test/sms/twilio-test.harness';
import { startService } from '../test/support/service-process';
import { alternate, fmt, median, type Figure } from './bench-table';
import { startBareServer } from './bare-server';

const PUBLIC_BASE_URL = 'https://sira.example.org';
const TELEGRAM_SECRET = `bench_${randomBytes(12).toString('hex')}`;
const TELEGRAM_TOKEN = `123456789:${randomBytes(24).toString('base64url')}`;
/** her replies through the menu: digits and words, so every request is a real flow step. */
const SAYS = ['Bonjour', '1', '2', '0', '3', '1', 'menu', '4', '0', '2'];
/** small enough that the warm-up round has created every contact: the rounds measure known senders. */
const POOL = 200;

export interface WebhookSettings {
  rounds: number;
  seconds: number;
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, connections: number, seconds: number, request: () => { headers: Record<string, string>; body: string }): Promise<Sample> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, method: 'POST', ...request() }) }],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}

/** A fresh MessageSid and a valid signature for every request; senders rotate through a pool. */
function twilioRequests() {
  let n = 0;
  const base = 70_000_000 + Math.floor(Math.random() * 1_000_000);
  return () => {
    const i = n++;
    const params = inboundParams(`+223${base + (i % POOL)}`, SAYS[Math.floor(i / POOL) % SAYS.length]!);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}${TWILIO_SMS_PATH}`, params),
    };
    return { headers, body: new URLSearchParams(params).toString() };
  };
}

/** A fresh update_id for every request, the right secret token; chats rotate through a pool. */
function telegramRequests() {
  let n = 0;
  const updateBase = Math.floor(Math.random() * 1e8);
  const chatBase = 300_000_000 + Math.floor(Math.random() * 1e8);
  return () => {
    const i = n++;
    const chatId = chatBase + (i % POOL);
    const from = { id: chatId, is_bot: false, first_name: 'Aminata', language_code: 'fr' };
    const text = SAYS[Math.floor(i / POOL) % SAYS.length]!;
    const update = { update_id: updateBase + i, message: { message_id: i + 1, from, chat: { id: chatId, type: 'private', first_name: 'Aminata' }, date: Math.floor(Date.now() / 1000), text } };
    return { headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET }, body: JSON.stringify(update) };
  };
}

function figures(label: string, samples: { ours: Sample[]; baseline: Sample[] }, connections: number): Figure[] {
  const ours = { rps: median(samples.ours.map((s) => s.rps)), p50: median(samples.ours.map((s) => s.p50)), p99: median(samples.ours.map((s) => s.p99)) };
  const bare = { rps: median(samples.baseline.map((s) => s.rps)), p50: median(samples.baseline.map((s) => s.p50)), p99: median(samples.baseline.map((s) => s.p99)) };
  const errors = samples.ours.reduce((a, s) => a + s.errors, 0);
  return [
    {
      name: `${label} webhook throughput (req/s, ${connections} connections)`,
      ours: fmt(ours.rps),
      baseline: fmt(bare.rps),
      ratio: ours.rps / bare.rps,
      target: '≥ 0.33×',
      met: ours.rps / bare.rps >= 0.33 && errors === 0,
      note: errors ? `${errors} errors or non-2xx answers` : undefined,
    },
    {
      name: `${label} webhook latency p50 / p99 (ms)`,
      ours: `${fmt(ours.p50)} / ${fmt(ours.p99)}`,
      baseline: `${fmt(bare.p50)} / ${fmt(bare.p99)}`,
      ratio: ours.p99 / Math.max(bare.p99, 1),
      target: 'p99 ≤ 50 ms',
      met: ours.p99 <= 50,
    },
  ];
}

/**
 * Both webhooks, full path (the compiled service as a process on PostgreSQL and Redis, signature,
 * de-dup, flow step, session save, reply queued) against bare servers, in alternating rounds.
 */
export async function webhookFigures(settings: WebhookSettings, log: (s: string) => void): Promise<Figure[]> {
  const db = await createTestDatabase('bench');
  const twilio = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  await twilio.start();
  const telegram = await new FakeTelegramServer().start();
  const service = await startService({
    DATABASE_URL: db.url,
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'warn',
    SIMULATOR_ENABLED: 'false',
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_BASE_URL: twilio.url,
    SMS_DAILY_SEGMENTS: '10000000',
    // 200 senders answered many times a second: the per-number minute cap (default 20) would refuse most
    // replies, and the bench would measure refusals instead of the full path
    SMS_SENDER_MESSAGES_PER_MINUTE: '1000',
    SMS_SENDER_DAILY_SEGMENTS: '100000',
    TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    // BENCH_PROFILE_DIR=/tmp/x: the service writes a V8 CPU profile there when it stops
    ...(process.env.BENCH_PROFILE_DIR
      ? { NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile.hook.js')}`, SIRA_CPU_PROFILE_DIR: process.env.BENCH_PROFILE_DIR }
      : {}),
  });
  const bareSms = await startBareServer('text/xml; charset=utf-8', EMPTY_TWIML, 'form');
  const bareTelegram = await startBareServer('application/json; charset=utf-8', JSON.stringify({ ok: true }), 'json');
  try {
    const sms = twilioRequests();
    const tg = telegramRequests();
    log('webhooks: warming up (contacts created, code paths compiled)');
    await load(`${service.url}${TWILIO_SMS_PATH}`, 50, settings.seconds, sms);
    await load(`${service.url}/webhooks/telegram`, 40, settings.seconds, tg);
    log('webhooks: SMS rounds');
    const smsSamples = await alternate(settings.rounds, () => load(`${service.url}${TWILIO_SMS_PATH}`, 50, settings.seconds, sms), () => load(`${bareSms.url}${TWILIO_SMS_PATH}`, 50, settings.seconds, sms));
    log('webhooks: Telegram rounds');
    const tgSamples = await alternate(settings.rounds, () => load(`${service.url}/webhooks/telegram`, 40, settings.seconds, tg), () => load(`${bareTelegram.url}/webhooks/telegram`, 40, settings.seconds, tg));
    return [...figures('SMS (Twilio)', smsSamples, 50), ...figures('Telegram', tgSamples, 40)];
  } finally {
    await service.stop();
    await bareSms.stop();
    await bareTelegram.stop();
    await twilio.stop();
    await telegram.stop();
    await deleteRedisPrefix(`sira_test_e2e_${service.port}`);
    await db.drop();
  }
}
