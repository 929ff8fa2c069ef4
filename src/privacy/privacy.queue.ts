import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import { startedBullmq, startedWorker, type Started } from '../common/bullmq-start';
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
export class PrivacyQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(PrivacyQueue.name);
  private started?: Started<Queue>;
  private worker?: Promise<Started<Worker>>;

  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** The queue is used only once it has started (see bullmq-start). */
  async onModuleInit(): Promise<void> {
    const build = (connection: never) => {
      const queue = new Queue(PrivacyQueueName.Privacy, { connection, prefix: this.config.redis.prefix });
      queue.on('error', (err) => this.log.warn(`privacy queue: ${err.name}`));
      return queue;
    };
    this.started = await startedBullmq('privacy queue', this.config.redis.url, build, this.log);
  }

  get queue(): Queue {
    if (!this.started) throw new Error('the privacy queue is used before it has started');
    return this.started.item;
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

  /** Starts the one worker of this process (once; a second call waits for the first). */
  async start(handler: PrivacyJobHandler): Promise<void> {
    this.worker ??= this.startWorker(handler);
    await this.worker;
  }

  private startWorker(handler: PrivacyJobHandler): Promise<Started<Worker>> {
    const lock = this.config.workers.lockMs;
    const build = (connection: never) => {
      const worker = new Worker(PrivacyQueueName.Privacy, handler, { connection, prefix: this.config.redis.prefix, autorun: false, concurrency: 1, lockDuration: lock, stalledInterval: lock });
      worker.on('error', (err) => this.log.warn(`privacy worker: ${err.name}`));
      worker.on('failed', (job, err) => this.log.warn(`privacy job ${job?.name ?? '?'} failed: ${err.name}`));
      return worker;
    };
    return startedWorker('privacy worker', this.config.redis.url, build, this.log);
  }

  async onApplicationShutdown(): Promise<void> {
    const worker = await this.worker?.catch(() => undefined);
    await worker?.close();
    await this.started?.close();
  }
}
