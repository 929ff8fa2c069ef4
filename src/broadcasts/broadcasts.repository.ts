import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { contacts } from '../contacts/contacts.schema';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { contactPreferences } from '../privacy/privacy.schema';
import type { BroadcastDraft } from './broadcast-texts';
import { broadcastDeliveries as d, broadcasts as b, type BroadcastRow, type BroadcastStatus, type DeliveryState } from './broadcasts.schema';
import { subscriptions as s } from './subscriptions.schema';

/** One active subscriber as the sender needs her: never her address in clear (sealed in `addressEnc`). */
export interface Recipient {
  contactId: string;
  channel: string;
  language: string | null;
  optedOut: boolean;
  /** false: she asked Sira never to write first (discreet mode). */
  proactiveAllowed: boolean;
  hasAddress: boolean;
  /** the SMS line she first wrote through (one-way lines). */
  source: string;
  /** notices of other broadcasts queued to her in the last 30 days (BROADCAST_MAX_PER_MONTH). */
  recentNotices: number;
}

export interface NewDelivery {
  broadcastId: string;
  contactId: string;
  channel: string;
  language: string;
  state: DeliveryState;
  reason?: string | null;
  outboundId?: string | null;
  segments?: number;
}

/** Recipients by channel, language and line: what the preview counts (never anyone's id). */
export interface AudienceRow {
  channel: string;
  language: string;
  source: string;
  eligible: number;
  stopped: number;
  discreet: number;
  noAddress: number;
}

export interface ReportRow {
  state: DeliveryState;
  reason: string | null;
  channel: string;
  outboundStatus: string | null;
  count: number;
  segments: number;
}

const ACTIVE_STATES: BroadcastStatus[] = ['draft', 'approved', 'sending'];

@Injectable()
export class BroadcastsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async create(draft: BroadcastDraft, staffId: string): Promise<BroadcastRow> {
    const newsStatus = Object.fromEntries(Object.keys(draft.news).map((l) => [l, 'draft' as const]));
    const [row] = await this.db.insert(b).values({ ...draft, newsStatus, createdBy: staffId }).returning();
    return row!;
  }

  async find(id: string): Promise<BroadcastRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row] = await this.db.select().from(b).where(eq(b.id, id));
    return row;
  }

  async list(limit = 50): Promise<BroadcastRow[]> {
    return this.db.select().from(b).orderBy(desc(b.createdAt)).limit(limit);
  }

  /** draft → approved, once: a second approval (or one racing it) finds no draft. */
  async approve(id: string, staffId: string, selfApproved: boolean, newsStatus: BroadcastRow['newsStatus'], at: Date): Promise<BroadcastRow | undefined> {
    const [row] = await this.db
      .update(b)
      .set({ status: 'approved', approvedBy: staffId, approvedAt: at, selfApproved, newsStatus })
      .where(and(eq(b.id, id), eq(b.status, 'draft')))
      .returning();
    return row;
  }

  async cancel(id: string, staffId: string, at: Date): Promise<BroadcastRow | undefined> {
    const [row] = await this.db
      .update(b)
      .set({ status: 'cancelled', cancelledBy: staffId, cancelledAt: at })
      .where(and(eq(b.id, id), inArray(b.status, ACTIVE_STATES)))
      .returning();
    return row;
  }

  async markSending(id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(b)
      .set({ status: 'sending', startedAt: sql`coalesce(${b.startedAt}, ${at})` })
      .where(and(eq(b.id, id), inArray(b.status, ['approved', 'sending'])))
      .returning({ id: b.id });
    return rows.length === 1;
  }

  async saveCursor(id: string, cursor: string): Promise<void> {
    await this.db.update(b).set({ cursor }).where(eq(b.id, id));
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.db.update(b).set({ status: 'sent', finishedAt: at }).where(and(eq(b.id, id), eq(b.status, 'sending')));
  }

  async status(id: string): Promise<BroadcastStatus | undefined> {
    const [row] = await this.db.select({ status: b.status }).from(b).where(eq(b.id, id));
    return row?.status;
  }

  /**
   * The next `limit` active subscribers of a topic after `after` (keyset on the partial index
   * subscriptions_active_topic_idx): the sender streams them page by page, never all at once.
   */
  async recipientsAfter(broadcastId: string, topic: string, after: string | null, limit: number): Promise<Recipient[]> {
    return this.db
      .select({
        contactId: s.contactId,
        channel: contacts.channel,
        language: contacts.language,
        optedOut: contacts.optedOut,
        proactiveAllowed: sql<boolean>`coalesce(${contactPreferences.proactiveAllowed}, true)`,
        hasAddress: sql<boolean>`${contacts.addressEnc} is not null`,
        source: contacts.source,
        recentNotices: sql<number>`(select count(*) from broadcast_deliveries recent
          where recent.contact_id = ${contacts.id} and recent.state = 'queued' and recent.broadcast_id <> ${broadcastId}
            and recent.at > now() - interval '30 days')::int`,
      })
      .from(s)
      .innerJoin(contacts, eq(contacts.id, s.contactId))
      .leftJoin(contactPreferences, eq(contactPreferences.contactId, s.contactId))
      .where(and(eq(s.topic, topic as never), isNull(s.endedAt), after ? gt(s.contactId, after) : undefined))
      .orderBy(asc(s.contactId))
      .limit(limit);
  }

  /** Deliveries taken back at closing time (or by a cancel), to queue again at the next opening. */
  async withdrawnAfter(broadcastId: string, after: string | null, limit: number): Promise<Recipient[]> {
    return this.db
      .select({
        contactId: d.contactId,
        channel: contacts.channel,
        language: contacts.language,
        optedOut: contacts.optedOut,
        proactiveAllowed: sql<boolean>`coalesce(${contactPreferences.proactiveAllowed}, true)`,
        hasAddress: sql<boolean>`${contacts.addressEnc} is not null`,
        source: contacts.source,
        recentNotices: sql<number>`(select count(*) from broadcast_deliveries recent
          where recent.contact_id = ${contacts.id} and recent.state = 'queued' and recent.broadcast_id <> ${broadcastId}
            and recent.at > now() - interval '30 days')::int`,
      })
      .from(d)
      .innerJoin(contacts, eq(contacts.id, d.contactId))
      .leftJoin(contactPreferences, eq(contactPreferences.contactId, d.contactId))
      .where(and(eq(d.broadcastId, broadcastId), eq(d.state, 'withdrawn'), after ? gt(d.contactId, after) : undefined))
      .orderBy(asc(d.contactId))
      .limit(limit);
  }

  /** The contacts of a page that already have a delivery row (a restart does not decide twice). */
  async decided(broadcastId: string, contactIds: string[]): Promise<Set<string>> {
    if (contactIds.length === 0) return new Set();
    const rows = await this.db
      .select({ contactId: d.contactId })
      .from(d)
      .where(and(eq(d.broadcastId, broadcastId), inArray(d.contactId, contactIds), sql`${d.state} <> 'withdrawn'`));
    return new Set(rows.map((r) => r.contactId));
  }

  /** Records a page's decisions; a withdrawn delivery queued again is updated in place. */
  async record(rows: NewDelivery[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insert(d)
      .values(rows.map((r) => ({ ...r, reason: r.reason ?? null, outboundId: r.outboundId ?? null, segments: r.segments ?? 0 })))
      .onConflictDoUpdate({
        target: [d.broadcastId, d.contactId],
        set: { state: sql`excluded.state`, reason: sql`excluded.reason`, outboundId: sql`excluded.outbound_id`, segments: sql`excluded.segments`, at: sql`now()` },
        setWhere: sql`${d.state} = 'withdrawn'`,
      });
  }

  /**
   * Takes back what the outbound queue has not started: its rows are deleted (their jobs then find
   * nothing to send) in the same statement that marks the deliveries withdrawn. A row a worker already
   * claimed (`sending`) is left to finish. Returns how many were taken back.
   */
  async withdrawQueued(broadcastId: string): Promise<number> {
    const rows = await this.db.execute(sql`
      with gone as (
        delete from outbound_messages o using broadcast_deliveries bd
        where bd.broadcast_id = ${broadcastId} and bd.state = 'queued' and o.id = bd.outbound_id and o.status = 'queued'
        returning o.id
      )
      update broadcast_deliveries set state = 'withdrawn', outbound_id = null
      where broadcast_id = ${broadcastId} and outbound_id in (select id from gone)
      returning contact_id`);
    return (rows as unknown as { rows: unknown[] }).rows.length;
  }

  /** How many of this broadcast's messages still wait in an outbound queue (not claimed yet). */
  async stillQueued(broadcastId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(d)
      .innerJoin(sql`outbound_messages o`, sql`o.id = ${d.outboundId}`)
      .where(and(eq(d.broadcastId, broadcastId), eq(d.state, 'queued'), sql`o.status = 'queued'`));
    return row?.n ?? 0;
  }

  /** The preview's counts: active subscribers of a topic by channel, language and line. */
  async audience(topic: string): Promise<AudienceRow[]> {
    const rows = await this.db
      .select({
        channel: contacts.channel,
        language: sql<string>`coalesce(${contacts.language}, 'fr')`,
        source: contacts.source,
        eligible: sql<number>`count(*) filter (where not ${contacts.optedOut} and coalesce(${contactPreferences.proactiveAllowed}, true) and ${contacts.addressEnc} is not null)::int`,
        stopped: sql<number>`count(*) filter (where ${contacts.optedOut})::int`,
        discreet: sql<number>`count(*) filter (where not ${contacts.optedOut} and ${contactPreferences.proactiveAllowed} = false)::int`,
        noAddress: sql<number>`count(*) filter (where not ${contacts.optedOut} and coalesce(${contactPreferences.proactiveAllowed}, true) and ${contacts.addressEnc} is null)::int`,
      })
      .from(s)
      .innerJoin(contacts, eq(contacts.id, s.contactId))
      .leftJoin(contactPreferences, eq(contactPreferences.contactId, s.contactId))
      .where(and(eq(s.topic, topic as never), isNull(s.endedAt)))
      .groupBy(contacts.channel, sql`coalesce(${contacts.language}, 'fr')`, contacts.source);
    return rows;
  }

  /** The report's counts: deliveries by state and reason, with their outbound rows' status. */
  async report(broadcastId: string): Promise<ReportRow[]> {
    return this.db
      .select({
        state: d.state,
        reason: d.reason,
        channel: d.channel,
        outboundStatus: sql<string | null>`o.status`,
        count: sql<number>`count(*)::int`,
        segments: sql<number>`coalesce(sum(${d.segments}), 0)::int`,
      })
      .from(d)
      .leftJoin(sql`outbound_messages o`, sql`o.id = ${d.outboundId}`)
      .where(eq(d.broadcastId, broadcastId))
      .groupBy(d.state, d.reason, d.channel, sql`o.status`);
  }

  /** The latest sent (or sending) broadcast of the topics she is subscribed to now: what INFO opens. */
  async latestFor(contactId: string): Promise<BroadcastRow | undefined> {
    const [row] = await this.db
      .select({ broadcast: b })
      .from(b)
      .innerJoin(s, and(eq(s.topic, b.topic), eq(s.contactId, contactId), isNull(s.endedAt)))
      .where(inArray(b.status, ['sending', 'sent']))
      .orderBy(desc(b.startedAt))
      .limit(1);
    return row?.broadcast;
  }
}
