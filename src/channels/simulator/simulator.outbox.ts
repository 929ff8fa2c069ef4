import { Inject, Injectable } from '@nestjs/common';
import { BlindIndex } from '../../crypto/blind-index';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { RedisKeys } from '../../redis/redis-keys';
import type { SimulatorRendering } from './simulator.renderer';

/** How long an untaken reply is kept (a page closed before its answer came). */
const KEEP_SECONDS = 3600;
/** How often Redis is looked at again while waiting (a reply sent by a worker in another process). */
const POLL_MS = 25;

/**
 * The simulator's "provider": where its outbound sender puts each reply, per simulator session (the
 * simulated identity), until the page or `npm run chat` takes it. Kept in Redis, so a reply sent by a
 * worker process (SIRA_ROLE=worker) reaches the web process that answers the page; a reply sent in this
 * process wakes its waiter at once. The key names the session by its blind index, never the identity
 * itself (an erasure's clean-up deletes every key naming it).
 */
@Injectable()
export class SimulatorOutbox {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(BlindIndex) private readonly index: BlindIndex,
  ) {}

  /** Keeps the reply of one outbound row for the session at `address` (called by the sender). */
  async keep(address: string, rowId: string, rendering: SimulatorRendering): Promise<void> {
    const key = this.key(address);
    await this.redis.multi().hSet(key, rowId, JSON.stringify(rendering)).expire(key, KEEP_SECONDS).exec();
    for (const wake of this.waiters.get(rowId) ?? []) wake();
  }

  /**
   * Takes the reply of one outbound row, waiting at most `timeoutMs` for its sender; undefined when it
   * did not come in time (the row stays in the outbound table, and its reply here until it expires).
   */
  async take(address: string, rowId: string, timeoutMs: number): Promise<SimulatorRendering | undefined> {
    const key = this.key(address);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [kept] = (await this.redis.multi().hGet(key, rowId).hDel(key, rowId).exec()) as unknown as [string | null, number];
      if (typeof kept === 'string') return JSON.parse(kept) as SimulatorRendering;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await this.arrival(rowId, Math.min(left, POLL_MS));
    }
  }

  private key(address: string): string {
    return `${this.keys.prefix}:simulator:outbox:${this.index.of('simulator', address)}`;
  }

  /** Resolves when the row's reply is kept by this process, or after `ms`. */
  private arrival(rowId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(rowId) ?? new Set<() => void>();
      this.waiters.set(rowId, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(rowId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }
}
