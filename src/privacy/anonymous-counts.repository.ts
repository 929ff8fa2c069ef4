import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { anonymousCounts } from './privacy.schema';

/** What is counted after the thing itself is gone. */
export enum AnonymousMetric {
  ContactsErased = 'contacts_erased',
  CallbackRequestsErased = 'callback_requests_erased',
  CallbackRequestsExpired = 'callback_requests_expired',
  ConsentWithdrawn = 'consent_withdrawn',
  /** phone calls that ended, and their seconds (the voice channel's status webhook). */
  VoiceCalls = 'voice_calls',
  VoiceSeconds = 'voice_seconds',
  /** WhatsApp: proactive messages not sent (her 24-hour window closed and no template, or she is unreachable). */
  WhatsAppProactiveNotSent = 'whatsapp_proactive_not_sent',
  /** WhatsApp: contacts marked unreachable after repeated undeliverable errors. */
  WhatsAppUnreachable = 'whatsapp_unreachable',
}

/** Per-day counters, incremented in one upsert (two erasures at once both count). */
@Injectable()
export class AnonymousCountsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async add(metric: AnonymousMetric, channel: string, at: Date, by = 1): Promise<void> {
    if (by <= 0) return;
    const day = at.toISOString().slice(0, 10);
    await this.db
      .insert(anonymousCounts)
      .values({ metric, day, channel, value: by })
      .onConflictDoUpdate({
        target: [anonymousCounts.metric, anonymousCounts.day, anonymousCounts.channel],
        set: { value: sql`${anonymousCounts.value} + ${by}` },
      });
  }

  /** One metric per UTC day (YYYY-MM-DD) from `fromDay` on, newest first. */
  async byDay(metric: AnonymousMetric, channel: string, fromDay: string): Promise<Array<{ day: string; value: number }>> {
    const rows = await this.db
      .select({ day: anonymousCounts.day, value: anonymousCounts.value })
      .from(anonymousCounts)
      .where(and(eq(anonymousCounts.metric, metric), eq(anonymousCounts.channel, channel), gte(anonymousCounts.day, fromDay)))
      .orderBy(desc(anonymousCounts.day));
    return rows.map((r) => ({ day: r.day, value: Number(r.value) }));
  }

  /** Total of one metric (all days, or one channel). */
  async total(metric: AnonymousMetric, channel?: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`coalesce(sum(${anonymousCounts.value}), 0)::int` })
      .from(anonymousCounts)
      .where(channel ? and(eq(anonymousCounts.metric, metric), eq(anonymousCounts.channel, channel)) : eq(anonymousCounts.metric, metric));
    return Number(row?.n ?? 0);
  }
}
