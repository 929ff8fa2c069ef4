import { startCountingProxy, type CountingProxy } from '../../bench/redis-counting-proxy';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { OutboundService } from '../../src/outbound/outbound.service';
import { TEST_REDIS_URL } from './redis-test.helper';
import { startApp, type TestApp } from '../support/app-harness';
import { inboundParams, postTwilio } from '../sms/twilio-test.harness';

/**
 * How many times an SMS turn waits on Redis, counted on the wire (a counting proxy in front of it), so a
 * change that adds a round trip to every message is seen here; bench/redis-trips.bench.ts measures the
 * same on the compiled service. The web role: no workers, so only the turn and its timers talk to Redis.
 */
describe('Redis round trips of an SMS turn', () => {
  let proxy: CountingProxy;
  let app: TestApp;

  beforeAll(async () => {
    const target = new URL(TEST_REDIS_URL);
    proxy = await startCountingProxy({ host: target.hostname, port: Number(target.port || 6379) });
    app = await startApp({ label: 'trips', twilio: true, role: 'web', redisUrl: proxy.url, env: { SIMULATOR_ENABLED: 'false', SMS_SENDER_MESSAGES_PER_MINUTE: '1000' } });
  });

  afterAll(async () => {
    await app?.close();
    await proxy?.stop();
  });

  const text = async (from: string, body: string) => {
    const res = await postTwilio({ url: app.url } as never, TWILIO_SMS_PATH, inboundParams(from, body));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 30));
  };

  it('claims, locks and loads in one trip, and needs five in all for a menu step whose reply is queued', async () => {
    const senders = ['+22370555001', '+22370555002', '+22370555003'];
    for (const from of senders) await text(from, 'Bonjour');
    for (const from of senders) await text(from, '1');
    await new Promise((r) => setTimeout(r, 300));
    const before = proxy.trips();
    for (const from of senders) await text(from, '0');
    for (const from of senders) await text(from, '2');
    await new Promise((r) => setTimeout(r, 300));
    const perTurn = (proxy.trips() - before) / (2 * senders.length);
    // begin (claim + lock + session, with the line memory and spool length), session save, send guard,
    // BullMQ add, finish (done + lock): docs/performance.md
    expect(perTurn).toBeLessThanOrEqual(5);
    // every turn's reply was queued (the web role sends nothing itself)
    const waiting = await app.get<OutboundService>(OutboundService).queueOf('sms')!.getJobCounts('waiting', 'prioritized', 'delayed');
    expect(Object.values(waiting).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4 * senders.length);
  });
});
