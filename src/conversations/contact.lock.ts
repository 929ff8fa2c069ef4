import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { CONVERSATION_TIMINGS, type ConversationTimings } from './conversation.timings';

// Compare-and-delete / compare-and-extend: only the holder's token may touch the lock, so a holder
// whose lease ran out can never release or extend the lock a newer holder has taken since.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** The lock a `withLock` caller holds: its token, and whether the caller has already given it back. */
export interface HeldLock {
  readonly token: string;
  released: boolean;
}

/** See `ContactLock.withLock`. */
export type FirstTry = (token: string) => Promise<'locked' | 'wait' | 'abort'>;

/** The contact's lock was not free within the wait budget; the message is left for a retry. */
export class ContactBusyError extends Error {
  constructor() {
    super('contact is busy: lock not acquired in time');
    this.name = 'ContactBusyError';
  }
}

/**
 * Serialises the messages of one contact across every process sharing the Redis: a lease lock
 * (SET NX PX with a random token) renewed while held, so a crashed holder frees it after one
 * lease and a slow one keeps it. Inside one process, waiters also queue in arrival order, so
 * messages a process received in order are handled in that order.
 */
@Injectable()
export class ContactLock {
  private readonly log = new Logger(ContactLock.name);
  /** per lock key, the tail of this process's queue of waiters. */
  private readonly localTails = new Map<string, Promise<void>>();

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(CONVERSATION_TIMINGS) private readonly timings: ConversationTimings,
  ) {}

  /**
   * Runs `work` while holding the contact's lock; the lock is released whatever happens (unless `work`
   * gave it back itself, with its last Redis command: `held.released`).
   *
   * `firstTry`, when this process has no other message of hers waiting, replaces the first attempt to take
   * the lock (it is sent at once, in the caller's tick, so it shares a round trip with commands issued just
   * before): it takes the lock with the token it is given and says 'locked', says 'wait' (the lock is busy:
   * wait for it as usual), or 'abort' (nothing to do: `work` is not run and undefined is returned).
   */
  /** whether a message of hers is being handled or waiting in this process. */
  busyHere(blindIndex: string): boolean {
    return this.localTails.has(this.keys.lock(blindIndex));
  }

  withLock<T>(blindIndex: string, work: (held: HeldLock) => Promise<T>): Promise<T>;
  withLock<T>(blindIndex: string, work: (held: HeldLock) => Promise<T>, firstTry: FirstTry): Promise<T | undefined>;
  async withLock<T>(blindIndex: string, work: (held: HeldLock) => Promise<T>, firstTry?: FirstTry): Promise<T | undefined> {
    const key = this.keys.lock(blindIndex);
    const previous = this.localTails.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.localTails.set(key, tail);
    try {
      // no await before the first try when nobody here is ahead of her: it goes out in this tick
      if (previous) await previous;
      return await this.holding(key, work, previous ? undefined : firstTry);
    } finally {
      done();
      if (this.localTails.get(key) === tail) this.localTails.delete(key);
    }
  }

  private async holding<T>(key: string, work: (held: HeldLock) => Promise<T>, firstTry?: FirstTry): Promise<T | undefined> {
    const token = randomBytes(16).toString('hex');
    const first = firstTry ? await firstTry(token) : 'wait';
    if (first === 'abort') return undefined;
    if (first === 'wait') await this.acquire(key, token);
    const held: HeldLock = { token, released: false };
    const renew = setInterval(() => void this.extend(key, token), Math.max(10, Math.floor(this.timings.lockLeaseMs / 3)));
    renew.unref();
    try {
      return await work(held);
    } finally {
      clearInterval(renew);
      if (!held.released) await this.release(key, token);
    }
  }

  private async acquire(key: string, token: string): Promise<string> {
    const deadline = Date.now() + this.timings.lockWaitMs;
    let pause = 5;
    for (;;) {
      const reply = await this.redis.set(key, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: this.timings.lockLeaseMs },
      });
      if (reply === 'OK') return token;
      if (Date.now() + pause > deadline) throw new ContactBusyError();
      // jitter keeps two processes waiting for the same contact from retrying in lockstep.
      await sleep(pause + Math.floor(Math.random() * pause));
      pause = Math.min(pause * 2, 200);
    }
  }

  private async extend(key: string, token: string): Promise<void> {
    try {
      await this.redis.eval(EXTEND, { keys: [key], arguments: [token, String(this.timings.lockLeaseMs)] });
    } catch {
      this.log.warn('could not renew a contact lock; it may expire before the work ends');
    }
  }

  private async release(key: string, token: string): Promise<void> {
    try {
      await this.redis.eval(RELEASE, { keys: [key], arguments: [token] });
    } catch {
      // the lease expires by itself; failing here must not hide the work's own outcome.
      this.log.warn('could not release a contact lock; it will expire after its lease');
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
