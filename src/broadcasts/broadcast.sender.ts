import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { startedBullmq, startedWorker, type Started } from '../common/bullmq-start';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { runsWorkers } from '../config/process-role';
import { BroadcastDelivery } from './broadcast-delivery';
import { nextBroadcastOpening, withinBroadcastHours } from './broadcast-hours';
import { BroadcastsRepository, type NewDelivery, type Recipient } from './broadcasts.repository';
import type { BroadcastRow } from './broadcasts.schema';

export const BROADCAST_QUEUE = 'broadcasts';
const JOB_NAME = 'send';
/** subscribers read per page (keyset) and handed to the outbound queues together. */
export const PAGE_SIZE = 500;
/** once every notice is queued: how often the job looks again (closing time, the last sends). */
const WATCH_MS = 60_000;

export interface BroadcastJobData {
  broadcastId: string;
}

/** What one run of a broadcast's job did (tests and the bench read it). */
export type RunOutcome = 'not_yet' | 'closed' | 'budget' | 'stopped' | 'watching' | 'sent';

/** `broadcast-<id>`: one job per broadcast; adding it again while it exists changes nothing. */
export function broadcastJobId(broadcastId: string): string {
  return `broadcast-${broadcastId}`;
}

/**
 * One BullMQ job per approved broadcast. Each run, after sendAt and inside BROADCAST_HOURS, streams the
 * topic's active subscribers from PostgreSQL page by page (keyset on the contact id, resumed from the
 * saved cursor) and hands each notice to her channel's outbound queue under a row id derived from the
 * broadcast and her contact: a crash or restart hands the same page over again and nothing is queued
 * twice. At closing time it takes back what the outbound queues have not started, and queues it again
 * at the next opening; a spent daily budget waits for the next day.
 */
@Injectable()
export class BroadcastSender implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(BroadcastSender.name);
  private queue?: Started<Queue<BroadcastJobData>>;
  private worker?: Started<Worker<BroadcastJobData>>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BroadcastsRepository) private readonly broadcasts: BroadcastsRepository,
    @Inject(BroadcastDelivery) private readonly delivery: BroadcastDelivery,
  ) {}

  async onModuleInit(): Promise<void> {
    const { url, prefix } = this.config.redis;
    this.queue = await startedBullmq(
      'broadcast queue',
      url,
      (connection) => {
        const q = new Queue<BroadcastJobData>(BROADCAST_QUEUE, { connection, prefix });
        q.on('error', (err) => this.log.warn(`broadcast queue: ${err.name}`));
        return q;
      },
      this.log,
    );
  }

  /** The worker starts once every channel has registered its outbound queue (their onModuleInit). */
  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return;
    const { url, prefix } = this.config.redis;
    this.worker = await startedWorker(
      'broadcast worker',
      url,
      (connection) => {
        const lock = this.config.workers.lockMs;
        const w = new Worker<BroadcastJobData>(BROADCAST_QUEUE, (job, token) => this.process(job, token), { connection, prefix, autorun: false, concurrency: 1, lockDuration: lock, stalledInterval: lock });
        w.on('error', (err) => this.log.warn(`broadcast worker: ${err.name}`));
        w.on('failed', (_job, err) => this.log.warn(`broadcast job failed: ${err.name}`));
        return w;
      },
      this.log,
    );
    // Redis may have lost the jobs: every approved or sending broadcast gets its job back
    for (const b of await this.broadcasts.list(200)) if (b.status === 'approved' || b.status === 'sending') await this.schedule(b.id);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  /** Queues the broadcast's job (again); its first run waits for sendAt and the hours itself. */
  async schedule(broadcastId: string, delayMs = 0): Promise<void> {
    if (!this.queue) throw new Error('the broadcast queue is used before it has started');
    await this.queue.item.add(JOB_NAME, { broadcastId }, { jobId: broadcastJobId(broadcastId), delay: delayMs, attempts: 20, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: true, removeOnFail: true });
  }

  private async process(job: Job<BroadcastJobData>, token?: string): Promise<RunOutcome> {
    const { outcome, wakeAt } = await this.run(job.data.broadcastId);
    if (wakeAt !== null) {
      await job.moveToDelayed(Math.max(wakeAt, Date.now() + 1_000), token);
      throw new DelayedError();
    }
    return outcome;
  }

  /**
   * One run; `wakeAt` (epoch ms, on the clock of the queue) when the job must look again. Exposed for
   * tests and the bench, which drive it with their own clock.
   */
  async run(broadcastId: string): Promise<{ outcome: RunOutcome; wakeAt: number | null }> {
    const b = await this.broadcasts.find(broadcastId);
    if (!b || (b.status !== 'approved' && b.status !== 'sending')) return { outcome: 'stopped', wakeAt: null };
    const now = this.clock.now();
    const later = (at: number) => Date.now() + Math.max(0, at - now);
    if (b.sendAt && b.sendAt.getTime() > now) return { outcome: 'not_yet', wakeAt: later(b.sendAt.getTime()) };
    const hours = this.config.broadcasts.hours;
    if (!withinBroadcastHours(now, hours)) {
      await this.broadcasts.withdrawQueued(b.id);
      return { outcome: 'closed', wakeAt: later(nextBroadcastOpening(now, hours)) };
    }
    if (!(await this.broadcasts.markSending(b.id, new Date(now)))) return { outcome: 'stopped', wakeAt: null };
    const fed = await this.feed(b);
    if (fed !== 'done') {
      const at = fed === 'budget' ? nextBroadcastOpening(nextBamakoDay(this.clock.now()), hours) : nextBroadcastOpening(this.clock.now(), hours);
      return { outcome: fed, wakeAt: fed === 'stopped' ? null : later(at) };
    }
    if ((await this.broadcasts.stillQueued(b.id)) > 0) return { outcome: 'watching', wakeAt: Date.now() + WATCH_MS };
    await this.broadcasts.markSent(b.id, new Date(this.clock.now()));
    return { outcome: 'sent', wakeAt: null };
  }

  /** The notices taken back at closing time first, then the subscribers after the cursor. */
  private async feed(b: BroadcastRow): Promise<'done' | 'closed' | 'budget' | 'stopped'> {
    for (let after: string | null = null; ; ) {
      const page = await this.broadcasts.withdrawnAfter(b.id, after, PAGE_SIZE);
      if (page.length === 0) break;
      const fed = await this.feedPage(b, page);
      if (fed !== 'done') return fed;
      after = page[page.length - 1]!.contactId;
    }
    for (let after = b.cursor; ; ) {
      const page = await this.broadcasts.recipientsAfter(b.id, b.topic, after, PAGE_SIZE);
      if (page.length === 0) return 'done';
      const fed = await this.feedPage(b, page);
      if (fed !== 'done') return fed;
      after = page[page.length - 1]!.contactId;
      await this.broadcasts.saveCursor(b.id, after);
    }
  }

  /**
   * One page: a cancel or closing time is noticed between pages; the ones already decided (a restart)
   * are left alone; the others are decided and queued together and recorded with the page.
   */
  private async feedPage(b: BroadcastRow, page: Recipient[]): Promise<'done' | 'closed' | 'budget' | 'stopped'> {
    if ((await this.broadcasts.status(b.id)) !== 'sending') return 'stopped';
    if (!withinBroadcastHours(this.clock.now(), this.config.broadcasts.hours)) return 'closed';
    const decided = await this.broadcasts.decided(b.id, page.map((r) => r.contactId));
    const todo = page.filter((r) => !decided.has(r.contactId));
    let result: { done: NewDelivery[]; spent: boolean } = { done: [], spent: false };
    try {
      result = await this.delivery.deliverPage(b, todo);
    } finally {
      await this.broadcasts.record(result.done);
    }
    // cancelled while this page was being queued: what it queued is taken back too
    if ((await this.broadcasts.status(b.id)) !== 'sending') {
      await this.broadcasts.withdrawQueued(b.id);
      return 'stopped';
    }
    return result.spent ? 'budget' : 'done';
  }
}

function nextBamakoDay(instant: number): number {
  return Math.floor(instant / 86_400_000) * 86_400_000 + 86_400_000;
}
