import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { startedBullmq, type Started } from '../common/bullmq-start';
import { callbackJobId, CallbackJobName, CallbackQueueName, SWEEP_SCHEDULER_ID, type CallbackJobData, type PlannedJob } from './callback-jobs';
import { planJobs } from './callback-jobs.plan';
import { CallbackRequestsRepository } from './callback-requests.repository';
import { CALLBACK_SETTINGS, type CallbackSettings } from './callback.settings';
import { CALLBACK_TIME_ZONE } from './call-windows';
import type { CallbackRequest } from './callback.types';

/** What a rebuild did (ids only), for logs and tests. */
export interface RebuildReport {
  requests: number;
  added: number;
}

/**
 * The callback queue. Jobs are only pointers to rows: `ensure` adds what a request's row says it
 * should have, under deterministic ids, so calling it again (after a transition, at start-up, after
 * Redis lost everything) never creates a job twice.
 */
@Injectable()
export class CallbackScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(CallbackScheduler.name);
  private started?: Started<Queue<CallbackJobData>>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
  }

  /** The queue is used only once it has started (see bullmq-start). */
  async onModuleInit(): Promise<void> {
    const build = (connection: never) => {
      const queue = new Queue<CallbackJobData>(CallbackQueueName.Callbacks, { connection, prefix: this.config.redis.prefix });
      queue.on('error', (err) => this.log.warn(`callbacks queue: ${err.name}`));
      return queue;
    };
    this.started = await startedBullmq('callbacks queue', this.config.redis.url, build, this.log);
  }

  get queue(): Queue<CallbackJobData> {
    if (!this.started) throw new Error('the callbacks queue is used before it has started');
    return this.started.item;
  }

  /**
   * Adds the jobs this request should have; returns how many were new to Redis. The look-ups go out
   * together, then the adds together (node-redis writes the commands of one tick at once): two round
   * trips whatever the number of jobs.
   */
  async ensure(req: CallbackRequest): Promise<number> {
    const planned = planJobs(req, this.settings, this.clock.now());
    const existing = await Promise.all(planned.map((job) => this.queue.getJob(job.id)));
    const missing = planned.filter((_, i) => !existing[i]);
    await this.addAll(missing);
    return missing.length;
  }

  /**
   * The jobs of a request that has just been created: no job can exist yet under its fresh id, except
   * those a rebuild running meanwhile added from the committed row, and BullMQ's add leaves a job with
   * the same id alone. So no look-up first: one round trip for all of them.
   */
  async scheduleCreated(req: CallbackRequest): Promise<void> {
    await this.addAll(planJobs(req, this.settings, this.clock.now()));
  }

  /** Removes every job a request may have had (all attempts and claims): nothing waits for an erased row. */
  async forget(req: CallbackRequest): Promise<void> {
    const ids = [
      ...range(req.attempt).flatMap((a) => [CallbackJobName.NotifyStaff, CallbackJobName.Escalate, CallbackJobName.Retry].map((k) => callbackJobId(k, req.id, a))),
      ...range(req.claims).map((c) => callbackJobId(CallbackJobName.ExpireClaim, req.id, c)),
    ];
    for (const id of ids) await this.queue.remove(id);
  }

  /** Every open request's jobs, plus the recurring sweep. Idempotent. */
  async rebuild(): Promise<RebuildReport> {
    await this.upsertSweep();
    const open = await this.requests.listOpen();
    let added = 0;
    for (const req of open) added += await this.ensure(req);
    if (added > 0) this.log.log(`rebuild: ${added} callback job(s) re-created for ${open.length} open request(s)`);
    return { requests: open.length, added };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.started?.close();
  }

  /**
   * Adds the jobs concurrently (each add is its own script, idempotent under its job id: a job with this
   * id, waiting or delayed, is left alone). Not one MULTI: BullMQ's node-redis adapter falls back to EVAL
   * when Redis lost its scripts (a restart) only outside a transaction. Rejects if any add failed.
   */
  private async addAll(jobs: PlannedJob[]): Promise<void> {
    await Promise.all(
      jobs.map((job) =>
        this.queue.add(job.name, job.data, {
          jobId: job.id,
          delay: job.delayMs,
          removeOnComplete: true,
          removeOnFail: true,
          attempts: 3,
          backoff: { type: 'exponential', delay: 5_000 },
        }),
      ),
    );
  }

  private async upsertSweep(): Promise<void> {
    await this.queue.upsertJobScheduler(
      SWEEP_SCHEDULER_ID,
      { pattern: this.settings.sweepPattern, tz: CALLBACK_TIME_ZONE },
      { name: CallbackJobName.Sweep, data: {}, opts: { removeOnComplete: true, removeOnFail: true } },
    );
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
