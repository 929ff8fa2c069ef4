import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { bullConnection } from '../callbacks/bullmq-connection';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { PRIVACY_TIME_ZONE, PrivacyJobName, PrivacyQueueName, RETENTION_SCHEDULER_ID, type ForgetJobData } from './privacy-jobs';

export type PrivacyJobHandler = (job: Job) => Promise<unknown>;

/**
 * The privacy queue: delayed provider clean-ups and the daily retention run. Jobs never stay after
 * they end (removeOnComplete / removeOnFail), so no kept job outlives what it was about; a failure
 * leaves only its error name in the log.
 */
@Injectable()
export class PrivacyQueue implements OnApplicationShutdown {
  private readonly log = new Logger(PrivacyQueue.name);
  readonly queue: Queue;
  private worker?: Worker;
  private readonly connections: ReturnType<typeof bullConnection>[] = [];

  constructor(@Inject(CONFIG) private readonly config: Config) {
    const conn = this.connection();
    this.queue = new Queue(PrivacyQueueName.Privacy, { connection: conn, prefix: config.redis.prefix });
    this.queue.on('error', (err) => this.log.warn(`privacy queue: ${err.name}`));
  }

  async scheduleForget(jobId: string, data: ForgetJobData, delayMs: number): Promise<void> {
    await this.queue.add(PrivacyJobName.ForgetAtProviders, data, {
      jobId,
      delay: delayMs,
      attempts: 3,
      backoff: { type: 'exponential', delay: 30_000 },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  /** The daily retention run (idempotent: the scheduler id is fixed). */
  async scheduleRetention(pattern: string): Promise<void> {
    await this.queue.upsertJobScheduler(
      RETENTION_SCHEDULER_ID,
      { pattern, tz: PRIVACY_TIME_ZONE },
      { name: PrivacyJobName.Retention, data: {}, opts: { removeOnComplete: true, removeOnFail: true } },
    );
  }

  /** Starts the one worker of this process. */
  start(handler: PrivacyJobHandler): void {
    if (this.worker) return;
    const lock = this.config.workers.lockMs;
    this.worker = new Worker(PrivacyQueueName.Privacy, handler, {
      connection: this.connection(),
      prefix: this.config.redis.prefix,
      concurrency: 1,
      lockDuration: lock,
      stalledInterval: lock,
    });
    this.worker.on('error', (err) => this.log.warn(`privacy worker: ${err.name}`));
    this.worker.on('failed', (job, err) => this.log.warn(`privacy job ${job?.name ?? '?'} failed: ${err.name}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    for (const c of this.connections) await c.close();
  }

  private connection(): never {
    const c = bullConnection(this.config.redis.url);
    this.connections.push(c);
    return c.connection;
  }
}
