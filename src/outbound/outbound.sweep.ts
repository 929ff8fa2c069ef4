import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { runsWorkers } from '../config/process-role';
import type { ChannelName } from '../common/channel-name';
import { RepairTask } from '../common/repair-task';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { OutboundMessagesRepository, type SweepRow } from './outbound-messages.repository';
import { OutboundService } from './outbound.service';
import { outboundJobId } from './outbound.types';

/** Injection token of the sweep's timings (tests shorten them). */
export const OUTBOUND_SWEEP_SETTINGS = Symbol('OUTBOUND_SWEEP_SETTINGS');

export interface OutboundSweepSettings {
  /** a queued row untouched for less than this is left to the hand-over that is queueing it. */
  idleMs: number;
  /** how often the sweep runs besides start-up and a Redis reconnection. */
  intervalMs: number;
  /** rows looked at per run, oldest first (the next run takes the rest). */
  batch: number;
}

export const DEFAULT_OUTBOUND_SWEEP: OutboundSweepSettings = { idleMs: 30_000, intervalMs: 60_000, batch: 500 };

/** What one sweep did (counts only). */
export interface SweepReport {
  queued: number;
  requeued: number;
  /** rows found `sending` with no job long after their claim: recorded `unknown`, never resent. */
  orphaned: number;
}

/**
 * Puts back the job of a row left `queued` whose job Redis lost (flushed, replaced, restarted without
 * its AOF): the row kept what the job carried (her address sealed to the row, the bot's message) until
 * it settles. Runs in worker processes at start-up, when the shared Redis connection is ready again and
 * every `intervalMs`. At most once still holds: the job keeps its fixed id (an existing one, waiting,
 * delayed in a retry or a hold, or running, is left alone), and the worker's claim (`queued` → `sending`)
 * lets only one run call the provider, so a sweep racing a job that just finished adds one that skips.
 * A row found `sending` long after its claim (twice the worker lock) with no job is never resent: its
 * provider call may have happened, so it ends `unknown` (as when its job comes back stalled), which
 * also wipes her address from it.
 */
@Injectable()
export class OutboundSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboundSweep.name);
  private readonly repair: RepairTask<SweepReport>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(OUTBOUND_SWEEP_SETTINGS) private readonly settings: OutboundSweepSettings,
  ) {
    this.repair = new RepairTask({ what: 'outbound sweep', redis: this.redis, intervalMs: settings.intervalMs, run: (reason) => this.sweepAndLog(reason), log: this.log });
  }

  /** After every channel registered its queue (their modules' init). */
  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return; // a web process only enqueues
    await this.repair.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.repair.stop();
  }

  /** One sweep at a time; never throws (Redis or PostgreSQL down: the next trigger tries again). */
  sweepNow(reason: string): Promise<SweepReport | undefined> {
    return this.repair.now(reason);
  }

  private async sweepAndLog(reason: string): Promise<SweepReport> {
    const report = await this.sweep();
    if (report.requeued > 0) this.log.warn(`outbound sweep (${reason}): ${report.requeued} lost job(s) put back for ${report.queued} queued row(s)`);
    if (report.orphaned > 0) this.log.warn(`outbound sweep (${reason}): ${report.orphaned} send(s) left \`sending\` without a job, recorded unknown`);
    return report;
  }

  private async sweep(): Promise<SweepReport> {
    const queued = await this.messages.listQueuedForSweep(this.settings.idleMs, this.settings.batch);
    let requeued = 0;
    for (const [channel, rows] of byChannel(queued)) {
      const lost = await this.withoutJob(channel, rows);
      await this.outbound.addJobData(
        channel,
        lost.map((r) => ({ rowId: r.id, contactId: r.contactId, kind: r.kind, to: r.addressEnc, message: r.message })),
      );
      requeued += lost.length;
    }
    const sending = await this.messages.listSendingForSweep(Math.max(this.settings.idleMs, 2 * this.config.workers.lockMs), this.settings.batch);
    let orphaned = 0;
    for (const [channel, rows] of byChannel(sending)) {
      for (const row of await this.withoutJob(channel, rows)) if (await this.messages.markOrphanUnknown(row.id)) orphaned++;
    }
    return { queued: queued.length, requeued, orphaned };
  }

  /** The rows whose job Redis no longer has; none for a channel this process does not run. */
  private async withoutJob(channel: ChannelName, rows: SweepRow[]): Promise<SweepRow[]> {
    const queue = this.outbound.queueOf(channel);
    if (!queue) return []; // the channel is off in this configuration: its rows wait for one that runs it
    const jobs = await Promise.all(rows.map((r) => queue.getJob(outboundJobId(r.kind, r.id))));
    return rows.filter((_, i) => !jobs[i]);
  }
}

function byChannel(rows: SweepRow[]): Map<ChannelName, SweepRow[]> {
  const out = new Map<ChannelName, SweepRow[]>();
  for (const row of rows) out.set(row.channel, [...(out.get(row.channel) ?? []), row]);
  return out;
}
