import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { CONVERSATION_TIMINGS, type ConversationTimings } from './conversation.timings';
import type { ChannelName } from '../common/channel-name';

// Deletes the key only while it is still a lease: a message already marked done stays done.
const RELEASE_LEASE = `if redis.call('GET', KEYS[1]) == 'lease' then return redis.call('DEL', KEYS[1]) end return 0`;

/** how often a message held by another process is looked at again. */
const POLL_MS = 200;

const EXTEND_LEASE = `if redis.call('GET', KEYS[1]) == 'lease' then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return 0`;

/**
 * At-most-once-at-a-time handling of a provider message id, at-least-once overall.
 * `claim` takes a short lease; only `markDone` (after the session is saved and replies are queued)
 * makes it a long-lived "done". If the process dies in between, the lease runs out and the
 * provider's redelivery is handled instead of being dropped as a duplicate.
 */
@Injectable()
export class DedupLease {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(CONVERSATION_TIMINGS) private readonly timings: ConversationTimings,
  ) {}

  /** true when this caller owns the message now; false when it is done or in flight elsewhere. */
  async claim(channel: ChannelName, providerMessageId: string): Promise<boolean> {
    const reply = await this.redis.set(this.keys.dedup(channel, providerMessageId), 'lease', {
      condition: 'NX',
      expiration: { type: 'PX', value: this.timings.dedupLeaseMs },
    });
    return reply === 'OK';
  }

  /**
   * Like `claim`, but a message another process is still working on is waited for rather than dropped:
   * if that process died mid-turn (its lease stops being renewed and runs out) this caller takes the
   * message over, so a provider's retry sent to another instance is handled, not answered "duplicate".
   * false once the message is done, or when its holder is alive and still at it after a full lease.
   */
  async claimOrWait(channel: ChannelName, providerMessageId: string): Promise<boolean> {
    const key = this.keys.dedup(channel, providerMessageId);
    const deadline = Date.now() + this.timings.dedupLeaseMs + POLL_MS;
    for (;;) {
      if (await this.claim(channel, providerMessageId)) return true;
      const state = await this.redis.get(key);
      if (state === 'done') return false;
      if (state === null) continue; // released or expired in between: try to take it
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Marks the message done and drops what only a retry of it needed (its turn journal entry). */
  async markDone(channel: ChannelName, providerMessageId: string, alsoDelete?: string): Promise<void> {
    const multi = this.redis.multi().set(this.keys.dedup(channel, providerMessageId), 'done', {
      expiration: { type: 'PX', value: this.timings.dedupDoneMs },
    });
    if (alsoDelete) multi.del(alsoDelete);
    await multi.exec();
  }

  /**
   * Keeps the lease alive while this process is still working on the message (a slow database must
   * not let a redelivery in); a crashed process stops renewing, so its lease still runs out.
   * Returns the function that stops renewing.
   */
  keepAlive(channel: ChannelName, providerMessageId: string): () => void {
    const key = this.keys.dedup(channel, providerMessageId);
    const every = Math.max(10, Math.floor(this.timings.dedupLeaseMs / 3));
    const timer = setInterval(() => {
      this.redis.eval(EXTEND_LEASE, { keys: [key], arguments: [String(this.timings.dedupLeaseMs)] }).catch(() => undefined);
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** gives the message back after a failure so the provider's retry is not taken for a duplicate. */
  async release(channel: ChannelName, providerMessageId: string): Promise<void> {
    await this.redis.eval(RELEASE_LEASE, { keys: [this.keys.dedup(channel, providerMessageId)] });
  }
}
