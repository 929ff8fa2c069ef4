import { Inject, Injectable, Optional } from '@nestjs/common';
import { count, gte } from 'drizzle-orm';
import { callbackRequests, CallbackRequestsRepository } from '../callbacks';
import { cappedContactsByDay } from '../channels/sms/sms-cap-notice';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { SubscriptionsRepository } from '../broadcasts/subscriptions.repository';
import { AnonymousCountsRepository, AnonymousMetric } from '../privacy/anonymous-counts.repository';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { StaffQueueService } from './staff-queue.service';
import { StaffUsersRepository } from './staff-users.repository';
import type { StaffUser } from './staff.types';

export interface QueueStats {
  /** every request ever made, by status (erased ones are gone with her data). */
  byStatus: Record<string, number>;
  /** closed in the last 7 days, by status. */
  closedLastWeek: Record<string, number>;
  waiting: {
    total: number;
    urgent: number;
    callableNow: number;
    byLanguage: Record<string, number>;
    oldestMinutes: number | null;
    medianMinutes: number | null;
  };
  /** requests held now, by staff member. */
  heldBy: Array<{ staffId: string; name: string; count: number }>;
  /** phone calls that ended and their minutes, per UTC day (YYYY-MM-DD), the last 7 days, newest first. */
  voiceCalls: Array<{ day: string; calls: number; minutes: number }>;
  /** contacts whose SMS replies a per-number cap stopped, per UTC day (YYYYMMDD), the last 7 days, newest first. */
  smsCappedContacts: Array<{ day: string; contacts: number }>;
  /**
   * active news subscriptions per topic (issue 26): a count below INSIGHTS_MIN_CELL is the string "< N",
   * so a small number cannot point at one woman; absent where the subscriptions module is not loaded.
   */
  subscribers?: Record<string, number | string>;
}

/** Counts and waiting times for supervisors: numbers only, computed from the callback rows. */
@Injectable()
export class StaffStatsService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(StaffQueueService) private readonly queue: StaffQueueService,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Optional() @Inject(SubscriptionsRepository) private readonly subscriptions?: SubscriptionsRepository,
  ) {}

  async summary(): Promise<QueueStats> {
    const now = this.clock.now();
    const all = await this.db.select({ status: callbackRequests.status, n: count() }).from(callbackRequests).groupBy(callbackRequests.status);
    const weekAgo = new Date(now - 7 * 86_400_000);
    const closed = await this.db
      .select({ status: callbackRequests.status, n: count() })
      .from(callbackRequests)
      .where(gte(callbackRequests.closedAt, weekAgo))
      .groupBy(callbackRequests.status);
    const open = (await this.requests.listOpen()).map((r) => this.queue.item(r, now));
    const waiting = open.filter((i) => i.status === 'pending');
    const waits = waiting.map((i) => i.waitingMinutes).sort((a, b) => a - b);
    return {
      byStatus: toRecord(all),
      closedLastWeek: toRecord(closed),
      waiting: {
        total: waiting.length,
        urgent: waiting.filter((i) => i.urgent).length,
        callableNow: waiting.filter((i) => i.callableNow).length,
        byLanguage: tally(waiting.map((i) => i.callLanguage)),
        oldestMinutes: waits.length ? waits[waits.length - 1] : null,
        medianMinutes: waits.length ? waits[Math.floor((waits.length - 1) / 2)] : null,
      },
      heldBy: await this.heldBy(open.filter((i) => i.status === 'claimed').map((i) => i.claimedBy ?? '')),
      smsCappedContacts: await cappedContactsByDay(this.redis, this.config.redis.prefix, now),
      voiceCalls: await this.voiceCalls(now),
      ...(this.subscriptions ? { subscribers: await this.subscribers(this.subscriptions) } : {}),
    };
  }

  private async subscribers(repo: SubscriptionsRepository): Promise<Record<string, number | string>> {
    const min = this.config.insights.minCell;
    return Object.fromEntries(Object.entries(await repo.activeByTopic()).map(([topic, n]) => [topic, suppressSmall(n, min)]));
  }

  private async voiceCalls(now: number): Promise<QueueStats['voiceCalls']> {
    const from = new Date(now - 6 * 86_400_000).toISOString().slice(0, 10);
    const calls = await this.counts.byDay(AnonymousMetric.VoiceCalls, 'voice', from);
    const seconds = new Map((await this.counts.byDay(AnonymousMetric.VoiceSeconds, 'voice', from)).map((r) => [r.day, r.value]));
    return calls.map((r) => ({ day: r.day, calls: r.value, minutes: Math.round((seconds.get(r.day) ?? 0) / 60) }));
  }

  private async heldBy(holders: string[]): Promise<QueueStats['heldBy']> {
    const names = new Map((await this.users.list()).map((u: StaffUser) => [u.id, u.displayName]));
    return Object.entries(tally(holders)).map(([staffId, n]) => ({ staffId, name: names.get(staffId) ?? '?', count: n }));
  }
}

/** A count below `min` is shown as "< min" (0 included: "none" is as telling as "one"). */
export function suppressSmall(n: number, min: number): number | string {
  return n < min ? `< ${min}` : n;
}

function toRecord(rows: Array<{ status: string; n: number }>): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

