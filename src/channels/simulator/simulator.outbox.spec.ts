import { createHash } from 'node:crypto';
import { connectRedis, type RedisClient } from '../../redis/redis.module';
import { RedisKeys } from '../../redis/redis-keys';
import type { BlindIndex } from '../../crypto/blind-index';
import { SimulatorSender } from './simulator.outbound';
import { SimulatorOutbox } from './simulator.outbox';
import type { SimulatorRendering } from './simulator.renderer';

const REDIS_URL = process.env.SIRA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const rendering = (text: string): SimulatorRendering => ({
  sms: [{ text, encoding: 'GSM-7', segments: 1, nonGsm: [] }],
  telegram: [{ text, buttons: [] }],
  whatsapp: [{ type: 'text', text }],
});

describe('the simulator outbox (the simulator channel provider)', () => {
  const prefix = `sira_test_simoutbox_${process.pid}`;
  let redis: RedisClient;
  let outbox: SimulatorOutbox;
  // a blind index stand-in: a digest of the address, as the real one is
  const index = { of: (channel: string, address: string) => createHash('sha256').update(`${channel}:${address}`).digest('hex') } as unknown as BlindIndex;

  beforeAll(async () => {
    redis = await connectRedis(REDIS_URL);
    outbox = new SimulatorOutbox(redis, new RedisKeys(prefix), index);
  });

  afterAll(async () => {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*` })) keys.push(...(batch as unknown as string[]));
    if (keys.length) await redis.del(keys);
    await redis.close();
  });

  it('gives the page the reply its sender kept, once, under a key that never names the identity', async () => {
    const sent = await new SimulatorSender(outbox).send({ rowId: 'row-1', contactId: null, address: 'sim-alice', message: rendering('Bonjour') });
    expect(sent).toEqual({ providerId: 'row-1', provider: 'simulator' });
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*` })) keys.push(...(batch as unknown as string[]));
    expect(keys).toEqual([`${prefix}:simulator:outbox:${index.of('simulator', 'sim-alice')}`]);
    expect(keys.join()).not.toContain('alice');
    expect(await redis.ttl(keys[0]!)).toBeGreaterThan(0);
    await expect(outbox.take('sim-alice', 'row-1', 100)).resolves.toEqual(rendering('Bonjour'));
    await expect(outbox.take('sim-alice', 'row-1', 50)).resolves.toBeUndefined();
  });

  it('keeps each session apart', async () => {
    await outbox.keep('sim-bob', 'row-2', rendering('I ni ce'));
    await expect(outbox.take('sim-carol', 'row-2', 50)).resolves.toBeUndefined();
    await expect(outbox.take('sim-bob', 'row-2', 50)).resolves.toEqual(rendering('I ni ce'));
  });

  it('waits, bounded, for a reply the queue has not sent yet', async () => {
    const started = Date.now();
    const taken = outbox.take('sim-dan', 'row-3', 5_000);
    setTimeout(() => void outbox.keep('sim-dan', 'row-3', rendering('later')), 150);
    await expect(taken).resolves.toEqual(rendering('later'));
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('gives up after its bound when nothing is sent', async () => {
    const started = Date.now();
    await expect(outbox.take('sim-erin', 'row-4', 200)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('finds a reply kept by another process (a worker), by looking again', async () => {
    const elsewhere = new SimulatorOutbox(redis, new RedisKeys(prefix), index);
    const taken = outbox.take('sim-fay', 'row-5', 5_000);
    setTimeout(() => void elsewhere.keep('sim-fay', 'row-5', rendering('from a worker')), 100);
    await expect(taken).resolves.toEqual(rendering('from a worker'));
  });
});
