import { connectRedis, RedisUnavailableError } from '../../src/redis/redis.module';
import { ContactBusyError, ContactLock } from '../../src/conversations/contact.lock';
import { DedupLease } from '../../src/conversations/dedup.lease';
import { SessionStore } from '../../src/conversations/session.store';
import { SESSION_SCHEMA_VERSION, type Session } from '../../src/engine/engine.types';
import { fakeBlindIndex, openTestRedis, sleep, timings, type TestRedis } from './redis-test.helper';

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis('prim');
});
afterAll(async () => {
  await t.close();
});

const session = (node: string): Session => ({
  v: SESSION_SCHEMA_VERSION,
  at: { flow: 'menu', node },
  history: [],
  misses: 0,
  question: 1,
  lastActiveAt: 0,
  vars: {},
});

describe('DedupLease', () => {
  it('lets exactly one of five simultaneous claims of one message id through', async () => {
    const dedup = new DedupLease(t.redis, t.keys, timings());
    const claims = await Promise.all(Array.from({ length: 5 }, () => dedup.claim('sms', 'SM-five')));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('keeps a message done for the long TTL once marked done', async () => {
    const dedup = new DedupLease(t.redis, t.keys, timings({ dedupLeaseMs: 100 }));
    expect(await dedup.claim('sms', 'SM-done')).toBe(true);
    await dedup.markDone('sms', 'SM-done');
    await sleep(200);
    expect(await dedup.claim('sms', 'SM-done')).toBe(false);
    expect(await t.redis.pTTL(t.keys.dedup('sms', 'SM-done'))).toBeGreaterThan(47 * 3600 * 1000);
  });

  it('lets a redelivery through once the lease of a crashed attempt has expired', async () => {
    const dedup = new DedupLease(t.redis, t.keys, timings({ dedupLeaseMs: 150 }));
    expect(await dedup.claim('telegram', '1001')).toBe(true);
    expect(await dedup.claim('telegram', '1001')).toBe(false);
    await sleep(250);
    expect(await dedup.claim('telegram', '1001')).toBe(true);
  });

  it('gives a released lease back at once but never un-does a done message', async () => {
    const dedup = new DedupLease(t.redis, t.keys, timings());
    await dedup.claim('sms', 'SM-rel');
    await dedup.release('sms', 'SM-rel');
    expect(await dedup.claim('sms', 'SM-rel')).toBe(true);
    await dedup.markDone('sms', 'SM-rel');
    await dedup.release('sms', 'SM-rel');
    expect(await dedup.claim('sms', 'SM-rel')).toBe(false);
  });

  it('keeps the same id on two channels apart', async () => {
    const dedup = new DedupLease(t.redis, t.keys, timings());
    expect(await dedup.claim('sms', '42')).toBe(true);
    expect(await dedup.claim('telegram', '42')).toBe(true);
  });
});

describe('ContactLock', () => {
  it('never runs two holders of one contact at once, across two lock instances', async () => {
    const a = new ContactLock(t.redis, t.keys, timings());
    const b = new ContactLock(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    let inside = 0;
    let maxInside = 0;
    const work = (lock: ContactLock) =>
      lock.withLock(contact, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(20);
        inside--;
      });
    await Promise.all([a, b, a, b, a, b].map(work));
    expect(maxInside).toBe(1);
  });

  it('runs one process’s waiters for a contact in the order they arrived', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => lock.withLock(contact, async () => void order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('does not block other contacts', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings({ lockWaitMs: 100 }));
    const first = fakeBlindIndex();
    let release!: () => void;
    const held = lock.withLock(first, () => new Promise<void>((r) => (release = r)));
    await sleep(20);
    await expect(lock.withLock(fakeBlindIndex(), async () => 'free')).resolves.toBe('free');
    release();
    await held;
  });

  it('gives up with ContactBusyError when the lock stays taken past the wait budget', async () => {
    const holder = new ContactLock(t.redis, t.keys, timings());
    const waiter = new ContactLock(t.redis, t.keys, timings({ lockWaitMs: 100 }));
    const contact = fakeBlindIndex();
    let release!: () => void;
    const held = holder.withLock(contact, () => new Promise<void>((r) => (release = r)));
    await sleep(20);
    await expect(waiter.withLock(contact, async () => 'ran')).rejects.toBeInstanceOf(ContactBusyError);
    release();
    await held;
  });

  it('keeps the lock while slow work outlives one lease, and frees a crashed holder’s lock after it', async () => {
    const slow = new ContactLock(t.redis, t.keys, timings({ lockLeaseMs: 90 }));
    const other = new ContactLock(t.redis, t.keys, timings({ lockWaitMs: 2_000 }));
    const contact = fakeBlindIndex();
    const events: string[] = [];
    const first = slow.withLock(contact, async () => {
      await sleep(300);
      events.push('slow done');
    });
    await sleep(20);
    await other.withLock(contact, async () => void events.push('other ran'));
    await first;
    expect(events).toEqual(['slow done', 'other ran']);

    // a holder that died leaves only its lease: set one by hand, it is free once that runs out.
    await t.redis.set(t.keys.lock(contact), 'dead-holder', { expiration: { type: 'PX', value: 150 } });
    const started = Date.now();
    await other.withLock(contact, async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('releases the lock when the work throws', async () => {
    const lock = new ContactLock(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    await expect(lock.withLock(contact, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await t.redis.exists(t.keys.lock(contact))).toBe(0);
  });
});

describe('SessionStore', () => {
  it('saves and loads a session with a TTL just above the engine’s longest idle expiry', async () => {
    const store = new SessionStore(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    await store.save(contact, session('main'));
    expect(await store.load(contact)).toEqual(session('main'));
    const ttl = await t.redis.pTTL(t.keys.session(contact));
    expect(ttl).toBeGreaterThan(24 * 3600 * 1000);
    expect(ttl).toBeLessThanOrEqual(26 * 3600 * 1000);
  });

  it('forgets a session once its TTL has run out', async () => {
    const store = new SessionStore(t.redis, t.keys, timings({ sessionTtlMs: 100 }));
    const contact = fakeBlindIndex();
    await store.save(contact, session('main'));
    await sleep(200);
    expect(await store.load(contact)).toBeNull();
  });

  it.each([['not json {'], ['"a string"'], ['{"v":1,"at":null}'], ['[1,2]']])('treats corrupt content %s as no session', async (raw) => {
    const store = new SessionStore(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    await t.redis.set(t.keys.session(contact), raw);
    expect(await store.load(contact)).toBeNull();
  });

  it('passes a session of another schema version on, for the engine to restart', async () => {
    const store = new SessionStore(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    await t.redis.set(t.keys.session(contact), JSON.stringify({ v: 0, where: 'old' }));
    expect(await store.load(contact)).toEqual({ v: 0, where: 'old' });
  });

  it('deletes a session', async () => {
    const store = new SessionStore(t.redis, t.keys, timings());
    const contact = fakeBlindIndex();
    await store.save(contact, session('main'));
    await store.delete(contact);
    expect(await store.load(contact)).toBeNull();
  });
});

describe('RedisKeys', () => {
  it('refuses a raw phone number or chat id where a blind index belongs', () => {
    expect(() => t.keys.session('+22370000000')).toThrow('blind index');
    expect(() => t.keys.lock('123456789012345678')).toThrow('blind index');
    expect(t.keys.session(fakeBlindIndex())).toMatch(new RegExp(`^${t.prefix}:session:`));
  });
});

describe('connectRedis', () => {
  it('refuses to start, naming host and port but not the password, when Redis does not answer', async () => {
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const attempt = connectRedis(`redis://sira:hunter2-secret@127.0.0.1:${port}`, 300);
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(`127.0.0.1:${port}`);
    await expect(attempt).rejects.not.toThrow('hunter2');
  });
});
