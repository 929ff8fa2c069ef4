import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Worker } from 'bullmq';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { runsWorkers } from '../config/process-role';
import { startedWorker, type Started } from '../common/bullmq-start';
import { RepairTask } from '../common/repair-task';
import { CallbackQueueName, type CallbackJobData } from './callback-jobs';
import { CallbackProcessor } from './callback.processor';
import { CallbackScheduler } from './callback.scheduler';
import { CALLBACK_SETTINGS, type CallbackSettings } from './callback.settings';

/**
 * Runs the callback jobs, and keeps Redis in step with PostgreSQL: a rebuild at start-up, whenever the
 * shared Redis connection becomes ready again after a loss, and whenever the marker key it leaves in
 * Redis is gone (Redis flushed or replaced without the connection ever dropping).
 */
@Injectable()
export class CallbackWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(CallbackWorker.name);
  private started?: Started<Worker<CallbackJobData>>;
  private readonly repair: RepairTask<void>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CallbackProcessor) private readonly processor: CallbackProcessor,
    @Inject(CallbackScheduler) private readonly scheduler: CallbackScheduler,
    @Inject(CALLBACK_SETTINGS) settings: CallbackSettings,
  ) {
    this.repair = new RepairTask({
      what: 'callback rebuild',
      redis: this.redis,
      intervalMs: settings.watchIntervalMs,
      run: (reason) => this.rebuild(reason),
      due: () => this.markerGone(),
      periodicReason: 'redis lost its keys',
      log: this.log,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return; // a web process (SIRA_ROLE=web) only enqueues
    const build = (connection: never) => {
      const worker = new Worker<CallbackJobData>(CallbackQueueName.Callbacks, (job) => this.processor.process(job), {
        connection,
        prefix: this.config.redis.prefix,
        autorun: false,
        concurrency: 4,
        lockDuration: this.config.workers.lockMs,
        stalledInterval: this.config.workers.lockMs,
      });
      worker.on('error', (err) => this.log.warn(`callbacks worker: ${err.name}`));
      worker.on('failed', (job, err) => this.log.warn(`callback job ${job?.name ?? '?'} failed: ${err.name}`));
      return worker;
    };
    this.started = await startedWorker('callbacks worker', this.config.redis.url, build, this.log);
    await this.repair.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.repair.stop();
    await this.started?.close();
  }

  /** Rebuilds at most one at a time; a failure (Redis or PostgreSQL down) waits for the next trigger. */
  async rebuildNow(reason: string): Promise<void> {
    await this.repair.now(reason);
  }

  private async rebuild(reason: string): Promise<void> {
    const report = await this.scheduler.rebuild();
    await this.redis.set(this.markerKey(), '1');
    this.log.log(`callback jobs checked (${reason}): ${report.requests} open, ${report.added} re-created`);
  }

  /** The marker is gone while Redis answers: it was flushed or replaced (when it is down, 'ready' will tell). */
  private async markerGone(): Promise<boolean> {
    return this.redis.isReady && (await this.redis.exists(this.markerKey())) === 0;
  }

  private markerKey(): string {
    return `${this.config.redis.prefix}:callbacks:rebuilt`;
  }
}
