import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ChannelName } from '../conversations/inbound-message';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { outboundMessages, type OutboundMessageRow } from './outbound-messages.schema';
import { OUTBOUND_STATUSES, type OutboundJobKind, type OutboundStatus } from './outbound.types';

/** How far along a message is; a late or repeated receipt never moves a row backwards. */
const RANK: Record<OutboundStatus, number> = {
  queued: 0,
  sending: 1,
  unknown: 2,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
};

export interface NewOutboundMessage {
  channel: ChannelName;
  contactId: string | null;
  kind: OutboundJobKind;
  segments?: number | null;
  encoding?: string | null;
}

/**
 * The record of every send. The claim (`queued` → `sending`, attempts + 1) is one conditional UPDATE,
 * so two workers, or a job redelivered after a crash, can never both call the provider for one row.
 */
@Injectable()
export class OutboundMessagesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async create(message: NewOutboundMessage): Promise<OutboundMessageRow> {
    const [row] = await this.db
      .insert(outboundMessages)
      .values({ ...message, segments: message.segments ?? null, encoding: message.encoding ?? null })
      .returning();
    return row!;
  }

  /** Inserts a row under a known id; undefined when a row with that id already exists. */
  async createIfAbsent(message: NewOutboundMessage & { id: string }): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.db
      .insert(outboundMessages)
      .values({ ...message, segments: message.segments ?? null, encoding: message.encoding ?? null })
      .onConflictDoNothing({ target: outboundMessages.id })
      .returning();
    return row;
  }

  async findById(id: string): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.db.select().from(outboundMessages).where(eq(outboundMessages.id, id));
    return row;
  }

  async findByProviderId(channel: ChannelName, providerId: string): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.db
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.providerId, providerId)));
    return row;
  }

  /** Moves a queued row to `sending` and counts the attempt; undefined when someone else has it. */
  async claim(id: string): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.db
      .update(outboundMessages)
      .set({ status: 'sending', attempts: sql`${outboundMessages.attempts} + 1`, updatedAt: sql`now()` })
      .where(and(eq(outboundMessages.id, id), eq(outboundMessages.status, 'queued')))
      .returning();
    return row;
  }

  /** Gives back a claim this process made without calling the provider: `sending` → `queued`. */
  async releaseClaim(id: string): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.db
      .update(outboundMessages)
      .set({ status: 'queued', updatedAt: sql`now()` })
      .where(and(eq(outboundMessages.id, id), eq(outboundMessages.status, 'sending')))
      .returning();
    return row ?? (await this.findById(id));
  }

  /**
   * Whether an older message of the same kind to the same contact on the same channel, created within `withinMs`, is
   * still waiting or being sent. Compared in SQL (microseconds), not with the JS Date (milliseconds).
   */
  async hasEarlierPending(row: Pick<OutboundMessageRow, 'id' | 'channel' | 'contactId' | 'kind'>, withinMs: number): Promise<boolean> {
    if (!row.contactId) return false;
    const [hit] = await this.db
      .select({ id: outboundMessages.id })
      .from(outboundMessages)
      .where(
        and(
          eq(outboundMessages.channel, row.channel),
          eq(outboundMessages.contactId, row.contactId),
          // replies jump ahead of proactive messages on purpose (priorities): order holds within a kind
          eq(outboundMessages.kind, row.kind),
          // being sent, or still to be sent whatever its attempts: never tried yet, put back for a retry (a
          // provider's clear failure, no SMS line while Redis was away) or a claim given back
          sql`${outboundMessages.status} in ('queued', 'sending')`,
          // (creation time, id): a total order, so two rows created in the same microsecond never wait for each other
          sql`(${outboundMessages.createdAt}, ${outboundMessages.id}) < (select o.created_at, o.id from outbound_messages o where o.id = ${row.id})`,
          sql`${outboundMessages.createdAt} > now() - ${withinMs} * interval '1 millisecond'`,
        ),
      )
      .limit(1);
    return Boolean(hit);
  }

  markSent(id: string, providerId: string): Promise<void> {
    return this.set(id, { status: 'sent', providerId, errorCode: null, sentAt: sql`now()` });
  }

  /** A clear failure before acceptance: back to `queued`, so the next attempt may claim it. */
  requeue(id: string, errorCode: string): Promise<void> {
    return this.set(id, { status: 'queued', errorCode });
  }

  /** `failed` or `unknown` (never resent) with the provider's code. */
  markFinal(id: string, status: 'failed' | 'unknown', errorCode: string): Promise<void> {
    return this.set(id, { status, errorCode });
  }

  /** Drops a row that will not be sent (she opted out or was erased meanwhile): nothing went out. */
  async discard(id: string): Promise<void> {
    await this.db.delete(outboundMessages).where(eq(outboundMessages.id, id));
  }

  /**
   * A delivery receipt. Returns the updated row (for `contact_id`), or undefined when no row has this
   * provider id or the receipt is older than what the row already knows.
   */
  async applyReceipt(channel: ChannelName, providerId: string, status: OutboundStatus, errorCode?: string | null): Promise<OutboundMessageRow | undefined> {
    const behind = OUTBOUND_STATUSES.filter((s) => RANK[s] < RANK[status]);
    if (behind.length === 0) return undefined;
    const [row] = await this.db
      .update(outboundMessages)
      .set({
        status,
        updatedAt: sql`now()`,
        ...(errorCode ? { errorCode } : {}),
        ...(status === 'delivered' ? { deliveredAt: sql`now()` } : {}),
      })
      .where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.providerId, providerId), inArray(outboundMessages.status, behind)))
      .returning();
    return row;
  }

  /** Rows per status (staff see how many ended `unknown` or `failed`). */
  async countByStatus(channel?: ChannelName): Promise<Partial<Record<OutboundStatus, number>>> {
    const rows = await this.db
      .select({ status: outboundMessages.status, n: sql<number>`count(*)::int` })
      .from(outboundMessages)
      .where(channel ? eq(outboundMessages.channel, channel) : undefined)
      .groupBy(outboundMessages.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  private async set(id: string, changes: Partial<Record<string, unknown>>): Promise<void> {
    await this.db
      .update(outboundMessages)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(outboundMessages.id, id));
  }
}
