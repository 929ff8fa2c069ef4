import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TWILIO_SMS_PATH } from '../src/channels/twilio/twilio-webhook.paths';
import { FakeTwilioServer } from '../test/fakes/fake-twilio.server';
import { TEST_REDIS_URL } from '../test/conversations/redis-test.helper';
import { SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, createTestDatabase } from '../test/sms/sms-test.helpers';
import { inboundParams } from '../test/sms/twilio-test.harness';
import { startService } from '../test/support/service-process';
import type { Figure } from './bench-table';
import { startCountingProxy } from './redis-counting-proxy';

const PUBLIC_BASE_URL = 'https://sira.example.org';
/** menu steps from known senders: the measured turns are ordinary ones, not first contacts. */
const SAYS = ['1', '0', '2', '0', '3', '0'];
const SENDERS = 10;
const TURNS = 60;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TripCount {
  perTurn: number;
  turns: number;
  idlePerSecond: number;
}

/**
 * Redis round trips per SMS turn, counted on the wire: the compiled service (web role: no workers, so
 * nothing else talks to Redis but its timers) behind a counting proxy, sent one signed Twilio webhook at
 * a time, each awaited and followed by a pause long enough for its replies to be queued. The proxy's idle
 * rate (measured in the same run) is subtracted.
 */
export async function countSmsTurnTrips(): Promise<TripCount> {
  const target = new URL(TEST_REDIS_URL);
  const proxy = await startCountingProxy({ host: target.hostname, port: Number(target.port || 6379) });
  const db = await createTestDatabase('bench_trips');
  const twilio = await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
  const service = await startService({
    DATABASE_URL: db.url,
    REDIS_URL: proxy.url,
    SIRA_ROLE: 'web',
    PUBLIC_BASE_URL,
    LOG_LEVEL: 'warn',
    SIMULATOR_ENABLED: 'false',
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_BASE_URL: twilio.url,
    SMS_SENDER_MESSAGES_PER_MINUTE: '1000',
  });
  const base = 76_000_000 + Math.floor(Math.random() * 1_000_000);
  let n = 0;
  const send = async (text: string) => {
    const params = inboundParams(`+223${base + (n++ % SENDERS)}`, text);
    const res = await fetch(`${service.url}${TWILIO_SMS_PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}${TWILIO_SMS_PATH}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    await sleep(40);
  };
  try {
    // warm-up: contacts made, languages chosen, scripts loaded into Redis
    for (let i = 0; i < SENDERS; i++) await send('Bonjour');
    for (let i = 0; i < SENDERS; i++) await send('1');
    await sleep(500);
    let before = proxy.trips();
    await sleep(2000);
    const idlePerSecond = (proxy.trips() - before) / 2;
    before = proxy.trips();
    const started = Date.now();
    for (let i = 0; i < TURNS; i++) await send(SAYS[Math.floor(i / SENDERS) % SAYS.length]!);
    await sleep(300);
    const seconds = (Date.now() - started) / 1000;
    const trips = proxy.trips() - before - idlePerSecond * seconds;
    if (process.env.BENCH_TRIPS_LOG) console.error(proxy.log().slice(-Math.ceil(trips / TURNS) * 3).join('\n'));
    return { perTurn: trips / TURNS, turns: TURNS, idlePerSecond };
  } finally {
    await service.stop();
    await twilio.stop();
    await proxy.stop();
    await db.drop();
  }
}

export async function redisTripFigures(): Promise<Figure[]> {
  const count = await countSmsTurnTrips();
  return [
    {
      name: 'Redis round trips per SMS turn (counted on the wire)',
      ours: count.perTurn.toFixed(1),
      baseline: '4',
      ratio: count.perTurn / 4,
      target: '≤ 4',
      met: count.perTurn <= 4.05,
      row: { name: 'redis-round-trips-per-sms-turn', value: Number(count.perTurn.toFixed(2)), baseline: 4, ratio: count.perTurn / 4, goal: '≤ 4', met: count.perTurn <= 4.05 },
      note: `${count.turns} menu turns from ${SENDERS} known senders, one at a time, through a counting TCP proxy in front of Redis (bench/redis-counting-proxy.ts), the service in the web role; idle traffic (${count.idlePerSecond.toFixed(1)} trips/s, timers) subtracted`,
    },
  ];
}

if (require.main === module) {
  countSmsTurnTrips().then((c) => console.log(JSON.stringify(c)), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
