import { ContactLock } from '../../src/conversations/contact.lock';
import { DedupLease } from '../../src/conversations/dedup.lease';
import { TurnGate } from '../../src/conversations/turn-gate';
import { fakeBlindIndex, openTestRedis, sleep, timings, type TestRedis } from './redis-test.helper';

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis('gate');
});
afterAll(async () => {
  await t.close();
});

describe('TurnGate: a turn claimed, locked and loaded in one round trip', () => {
  it('claims the id, takes her lock and reads her session and the journal entry together', async () => {
    const gate = new TurnGate(t.redis, t.keys, timings());
    const who = fakeBlindIndex();
    await t.redis.set(t.keys.session(who), '{"v":1}');
    const begun = await gate.begin('sms', 'SM-ready', who, 'token-a');
    expect(begun).toEqual({ state: 'ready', session: '{"v":1}', journal: null });
    expect(await t.redis.get(t.keys.lock(who))).toBe('token-a');
    expect(await t.redis.get(t.keys.dedup('sms', 'SM-ready'))).toBe('lease');
  });

  it('says a message already handled is done, and takes no lock for it', async () => {
    const gate = new TurnGate(t.redis, t.keys, timings());
    const who = fakeBlindIndex();
    await new DedupLease(t.redis, t.keys, timings()).claim('sms', 'SM-done');
    await gate.finish('sms', 'SM-done', who, 'nobody');
    expect(await gate.begin('sms', 'SM-done', who, 'token-b')).toEqual({ state: 'held', dedup: 'done' });
    expect(await t.redis.get(t.keys.lock(who))).toBeNull();
  });

  it('claims the id but leaves her lock to the message that holds it, and reads nothing', async () => {
    const gate = new TurnGate(t.redis, t.keys, timings());
    const who = fakeBlindIndex();
    await t.redis.set(t.keys.lock(who), 'other-message');
    expect(await gate.begin('telegram', '77', who, 'token-c')).toEqual({ state: 'claimed' });
    expect(await t.redis.get(t.keys.lock(who))).toBe('other-message');
  });

  it('finishes in one step: done for the long TTL, journal entry gone, her lock given back only if still hers', async () => {
    const gate = new TurnGate(t.redis, t.keys, timings());
    const who = fakeBlindIndex();
    await gate.begin('sms', 'SM-fin', who, 'token-d');
    await t.redis.set(t.keys.turn('sms', 'SM-fin'), 'entry');
    await gate.finish('sms', 'SM-fin', who, 'token-d');
    expect(await t.redis.get(t.keys.dedup('sms', 'SM-fin'))).toBe('done');
    expect(await t.redis.pTTL(t.keys.dedup('sms', 'SM-fin'))).toBeGreaterThan(47 * 3600 * 1000);
    expect(await t.redis.get(t.keys.turn('sms', 'SM-fin'))).toBeNull();
    expect(await t.redis.get(t.keys.lock(who))).toBeNull();
    // a lock that expired and was taken by another message meanwhile is left to that message
    await gate.begin('sms', 'SM-fin2', who, 'token-e');
    await t.redis.set(t.keys.lock(who), 'token-f');
    await gate.finish('sms', 'SM-fin2', who, 'token-e');
    expect(await t.redis.get(t.keys.lock(who))).toBe('token-f');
  });
});

describe('ContactLock with a first try', () => {
  it('runs the work holding the lock the first try took, and gives it back after', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings());
    const who = fakeBlindIndex();
    const seen: string[] = [];
    const result = await lock.withLock(
      who,
      async (held) => {
        seen.push(`work holds ${(await t.redis.get(t.keys.lock(who))) === held.token}`);
        return 'done';
      },
      async (token) => {
        await t.redis.set(t.keys.lock(who), token);
        return 'locked';
      },
    );
    expect(result).toBe('done');
    expect(seen).toEqual(['work holds true']);
    expect(await t.redis.get(t.keys.lock(who))).toBeNull();
  });

  it('runs nothing when the first try aborts', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings());
    let ran = false;
    const result = await lock.withLock(fakeBlindIndex(), async () => (ran = true), async () => 'abort');
    expect(result).toBeUndefined();
    expect(ran).toBe(false);
  });

  it('waits for a busy lock after a first try that found it taken', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings({ lockLeaseMs: 150 }));
    const who = fakeBlindIndex();
    await t.redis.set(t.keys.lock(who), 'other', { PX: 150 });
    const result = await lock.withLock(who, async (held) => (await t.redis.get(t.keys.lock(who))) === held.token, async () => 'wait');
    expect(result).toBe(true);
  });

  it('keeps messages of one contact in arrival order inside a process, first tries included', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings());
    const who = fakeBlindIndex();
    const order: number[] = [];
    const first = (token: string) => t.redis.set(t.keys.lock(who), token, { NX: true, PX: 5000 }).then((ok) => (ok ? 'locked' : 'wait') as 'locked' | 'wait');
    await Promise.all(
      [1, 2, 3].map((n) =>
        lock.busyHere(who)
          ? lock.withLock(who, async () => void order.push(n))
          : lock.withLock(who, async () => (await sleep(30), void order.push(n)), first),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
  });
});
