import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { CONVERSATION_TIMINGS, type ConversationTimings } from './conversation.timings';

// Compare-and-delete / compare-and-extend: only the holder's token may touch the lock, so a holder
// whose lease ran out can never release or extend the lock a newer holder has taken since.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

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

  /** Runs `work` while holding the contact's lock; the lock is released whatever happens. */
  async withLock<T>(blindIndex: string, work: () => Promise<T>): Promise<T> {
    const key = this.keys.lock(blindIndex);
    const previous = this.localTails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = previous.then(() => mine);
    this.localTails.set(key, tail);
    try {
      await previous;
      return await this.holding(key, work);
    } finally {
      done();
      if (this.localTails.get(key) === tail) this.localTails.delete(key);
    }
  }

  private async holding<T>(key: string, work: () => Promise<T>): Promise<T> {
    const token = await this.acquire(key);
    const renew = setInterval(() => void this.extend(key, token), Math.max(10, Math.floor(this.timings.lockLeaseMs / 3)));
    renew.unref();
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.release(key, token);
    }
  }

  private async acquire(key: string): Promise<string> {
    const token = randomBytes(16).toString('hex');
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
