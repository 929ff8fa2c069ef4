import { Inject, Injectable } from '@nestjs/common';
import { CallbackQueueName } from '../callbacks/callback-jobs';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';

const SCAN_COUNT = 500;

/**
 * What Redis still holds about an erased contact once her turn is over: every key named by her blind
 * index (session, lock, SMS rate and segment counters, last line — whoever added them), the de-dup
 * keys of her messages, and her callback jobs' entries in BullMQ's event stream.
 */
@Injectable()
export class RedisTraces {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
  ) {}

  /** Deletes every key under the prefix whose name contains her blind index; returns how many. */
  async deleteKeysNaming(blindIndex: string): Promise<number> {
    const found: string[] = [];
    for await (const batch of this.redis.scanIterator({ MATCH: `${this.keys.prefix}:*${blindIndex}*`, COUNT: SCAN_COUNT })) {
      found.push(...(batch as unknown as string[]));
    }
    return found.length ? this.redis.del(found) : 0;
  }

  async deleteDedup(channel: string, providerMessageIds: readonly string[]): Promise<void> {
    if (providerMessageIds.length) await this.redis.del(providerMessageIds.map((id) => this.keys.dedup(channel, id)));
  }

  /** Removes the event-stream entries that name one of these request ids (job ids embed them). */
  async deleteJobEvents(requestIds: readonly string[]): Promise<number> {
    if (requestIds.length === 0) return 0;
    const stream = `${this.keys.prefix}:${CallbackQueueName.Callbacks}:events`;
    const entries = (await this.redis.xRange(stream, '-', '+')) ?? [];
    const ids = entries.filter((e) => requestIds.some((r) => JSON.stringify(e.message).includes(r))).map((e) => e.id);
    return ids.length ? this.redis.xDel(stream, ids) : 0;
  }
}
