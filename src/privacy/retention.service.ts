import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { and, inArray, isNotNull, lt, notExists, eq, sql } from 'drizzle-orm';
import { startedBullmq } from '../common/bullmq-start';
import { CallbackQueueName } from '../callbacks/callback-jobs';
import { CLOSED_STATUSES } from '../callbacks/callback-status.machine';
import { callbackRequests } from '../callbacks/callbacks.schema';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import { contacts } from '../contacts/contacts.schema';
import type { Config } from '../config/config';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { OutboundQueueName } from '../outbound/outbound.types';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { callbackOutcomes, staffAuditLog } from '../db/schema';
import { AnonymousCountsRepository, AnonymousMetric } from './anonymous-counts.repository';
import { PrivacyQueueName } from './privacy-jobs';
import { PRIVACY_SETTINGS, type PrivacySettings } from './privacy.settings';

/** What one retention run removed (counts only). */
export interface RetentionReport {
  callbackRequests: number;
  /** contacts whose stored address went: no request of theirs is left (closed and expired, or never finished). */
  contactAddresses: number;
  staffNotes: number;
  auditEntries: number;
  sessions: number;
  keptJobs: number;
}

/** Every queue whose finished jobs could be kept (they are removed on completion, this is the backstop). */
const QUEUES: readonly string[] = [PrivacyQueueName.Privacy, CallbackQueueName.Callbacks, ...Object.values(OutboundQueueName)];

/**
 * Deletes what has outlived its period, measured on the injected clock: closed callback requests (with
 * their history and outcomes, by cascade; counted anonymously first) and then her stored address once
 * no request of hers is left, staff notes, audit entries, conversation state in Redis (a session
 * holding an unfinished request's answers after RETENTION_ABANDONED_MINUTES) and any finished job
 * BullMQ kept.
 */
@Injectable()
export class RetentionService {
  private readonly log = new Logger(RetentionService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(PRIVACY_SETTINGS) private readonly settings: PrivacySettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(): Promise<RetentionReport> {
    const now = this.clock.now();
    const r = this.settings.retention;
    const report: RetentionReport = {
      callbackRequests: await this.closedRequests(new Date(now - r.closedCallbackRequestsMs), new Date(now)),
      contactAddresses: await this.addressesWithoutRequest(new Date(now - r.abandonedMs)),
      staffNotes: await this.staffNotes(new Date(now - r.staffNotesMs)),
      auditEntries: (await this.db.delete(staffAuditLog).where(lt(staffAuditLog.at, new Date(now - r.auditLogMs))).returning({ id: staffAuditLog.id })).length,
      sessions: await this.sessions(now - r.conversationStateMs, now - r.abandonedMs),
      keptJobs: await this.keptJobs(now - r.conversationStateMs),
    };
    this.log.log(`retention: ${JSON.stringify(report)}`);
    return report;
  }

  private async closedRequests(before: Date, now: Date): Promise<number> {
    const gone = await this.db
      .delete(callbackRequests)
      .where(and(inArray(callbackRequests.status, [...CLOSED_STATUSES]), lt(callbackRequests.closedAt, before)))
      .returning({ channel: callbackRequests.channel });
    const byChannel = new Map<string, number>();
    for (const g of gone) byChannel.set(g.channel, (byChannel.get(g.channel) ?? 0) + 1);
    for (const [channel, n] of byChannel) await this.counts.add(AnonymousMetric.CallbackRequestsExpired, channel, now, n);
    return gone.length;
  }

  /**
   * Her address is kept for her requests only (status SMS, staff calls): when none is left, it goes,
   * and her consent with it — her language and opt-out stay. Consent and address are written with a
   * request in one statement, so a row with an address and no request is one whose requests expired
   * (or one stored before issue 19, at consent); `before` leaves a request being created alone.
   */
  private async addressesWithoutRequest(before: Date): Promise<number> {
    const rows = await this.db
      .update(contacts)
      .set({ addressEnc: null, addressKeyId: null, consentState: 'none', consentVersion: null, consentAt: null, updatedAt: sql`now()` })
      .where(
        and(
          isNotNull(contacts.addressEnc),
          lt(contacts.updatedAt, before),
          notExists(this.db.select({ one: sql`1` }).from(callbackRequests).where(eq(callbackRequests.contactId, contacts.id))),
        ),
      )
      .returning({ id: contacts.id });
    return rows.length;
  }

  /** The note goes; the outcome itself (reached, no answer…) stays with its request until that goes. */
  private async staffNotes(before: Date): Promise<number> {
    const rows = await this.db
      .update(callbackOutcomes)
      .set({ noteEnc: null, noteKeyId: null })
      .where(and(isNotNull(callbackOutcomes.noteEnc), lt(callbackOutcomes.at, before)))
      .returning({ id: callbackOutcomes.id });
    return rows.length;
  }

  /**
   * Sessions carry `lastActiveAt`; an unreadable one is conversation state too and goes. One holding
   * an unfinished request's answers goes sooner (`unfinishedBefore`); its Redis TTL says the same, this
   * is the backstop for sessions saved with a longer one.
   */
  private async sessions(before: number, unfinishedBefore: number): Promise<number> {
    let removed = 0;
    for await (const batch of this.redis.scanIterator({ MATCH: `${this.keys.prefix}:session:*`, COUNT: 200 })) {
      for (const key of batch as unknown as string[]) {
        const raw = await this.redis.get(key);
        if (raw !== null && lastActive(raw) >= (holdsAnswers(raw) ? unfinishedBefore : before)) continue;
        removed += await this.redis.del(key);
      }
    }
    return removed;
  }

  private async keptJobs(before: number): Promise<number> {
    let removed = 0;
    for (const name of QUEUES) {
      const started = await startedBullmq(`${name} queue (retention)`, this.config.redis.url, (connection: never) => new Queue(name, { connection, prefix: this.config.redis.prefix }), this.log);
      const queue = started.item;
      try {
        for (const job of await queue.getJobs(['completed', 'failed'])) {
          if ((job.finishedOn ?? 0) >= before) continue;
          await job.remove();
          removed++;
        }
        // the queue's event stream names jobs and their results: older entries go too (ids are ms stamps)
        await this.redis.xTrim(`${this.config.redis.prefix}:${name}:events`, 'MINID', before);
      } finally {
        await started.close();
      }
    }
    return removed;
  }
}

function holdsAnswers(raw: string): boolean {
  try {
    const vars = (JSON.parse(raw) as { vars?: unknown }).vars;
    return typeof vars === 'object' && vars !== null && Object.keys(vars).length > 0;
  } catch {
    return true;
  }
}

function lastActive(raw: string): number {
  try {
    const at = (JSON.parse(raw) as { lastActiveAt?: unknown }).lastActiveAt;
    return typeof at === 'number' ? at : 0;
  } catch {
    return 0;
  }
}

