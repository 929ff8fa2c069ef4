import { Queue } from 'bullmq';
import { bullConnection, type BullConnection } from '../common/bullmq-connection';

/** The job states `sira_queue_jobs` reports (BullMQ's getJobCounts). */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

interface Readers {
  redis: BullConnection;
  queues: Map<string, Queue>;
}

/**
 * Reads BullMQ's job counts of the named queues from Redis at scrape time (read-only Queue objects on
 * one Redis client of their own: they never add a job), so a web and a worker process report the same.
 *
 * A BullMQ object whose start failed stays broken (see bullmq-start.ts): when a read fails or takes
 * longer than `timeoutMs`, every reader is dropped and built again at the next scrape.
 */
export class QueueCounts {
  private readers?: Readers;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly names: readonly string[],
    private readonly timeoutMs = 3_000,
  ) {}

  async read(): Promise<Map<string, Record<QueueState, number>>> {
    const readers = (this.readers ??= this.build());
    try {
      const counts = await within(
        Promise.all(this.names.map(async (name) => [name, await readers.queues.get(name)!.getJobCounts(...QUEUE_STATES)] as const)),
        this.timeoutMs,
      );
      return new Map(counts.map(([name, c]) => [name, Object.fromEntries(QUEUE_STATES.map((s) => [s, Number(c[s] ?? 0)])) as Record<QueueState, number>]));
    } catch (err) {
      if (this.readers === readers) this.readers = undefined;
      void this.dispose(readers);
      throw err;
    }
  }

  async close(): Promise<void> {
    const readers = this.readers;
    this.readers = undefined;
    if (!readers) return;
    await Promise.all([...readers.queues.values()].map((q) => within(q.close(), this.timeoutMs).catch(() => undefined)));
    await readers.redis.close();
  }

  private build(): Readers {
    const redis = bullConnection(this.redisUrl);
    const queues = new Map<string, Queue>();
    for (const name of this.names) {
      const queue = new Queue(name, { connection: redis.connection, prefix: this.prefix });
      queue.on('error', () => undefined); // a failed read says so; the scrape reports the source down
      queues.set(name, queue);
    }
    return { redis, queues };
  }

  private async dispose(readers: Readers): Promise<void> {
    // the client first: a queue still starting on an unreachable Redis would hold its close
    readers.redis.destroy();
    await Promise.all([...readers.queues.values()].map((q) => within(q.close(), this.timeoutMs).catch(() => undefined)));
  }
}

/** The promise, or a rejection after `ms`. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
