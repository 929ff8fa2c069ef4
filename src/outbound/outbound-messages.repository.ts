import { Inject, Injectable } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import type { ChannelName } from '../conversations/inbound-message';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { prepareClaimStatement, type ClaimVerdict } from './outbound-claim.statement';
import { prepareInsertStatement, type InsertStatement, type NewOutboundRow } from './outbound-insert.statement';
import { outboundMessages as o, type OutboundMessageRow } from './outbound-messages.schema';
import { OUTBOUND_STATUSES, type OutboundStatus } from './outbound.types';

export type { ClaimVerdict } from './outbound-claim.statement';
export type { NewOutboundRow } from './outbound-insert.statement';

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
/** RANK as SQL, built from the constants above (no input reaches it). */
const RANK_OF_STATUS = sql.raw(`case status ${OUTBOUND_STATUSES.map((s) => `when '${s}' then ${RANK[s]}`).join(' ')} end`);

const p = (name: string) => sql.placeholder(name);

/** The statements the send path runs per message, built once and prepared (named) on each connection. */
function prepareStatements(db: Database) {
  return {
    claim: prepareClaimStatement(db),
    byId: db.select().from(o).where(eq(o.id, p('id'))).prepare('outbound_by_id'),
    byProviderId: db
      .select()
      .from(o)
      .where(and(eq(o.channel, p('channel')), eq(o.providerId, p('providerId'))))
      .prepare('outbound_by_provider_id'),
    statuses: db
      .select({ id: o.id, status: o.status })
      .from(o)
      .where(sql`${o.id} = any(${p('ids')}::uuid[])`)
      .prepare('outbound_statuses'),
    markSent: db
      .update(o)
      .set({ status: 'sent', providerId: sql`${p('providerId')}`, errorCode: null, sentAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(o.id, p('id')))
      .prepare('outbound_mark_sent'),
    // `failed` / `unknown` (final), or `queued` again after a provider's clear failure
    markStatus: db
      .update(o)
      .set({ status: sql`${p('status')}`, errorCode: sql`${p('errorCode')}`, updatedAt: sql`now()` })
      .where(eq(o.id, p('id')))
      .prepare('outbound_mark_status'),
    releaseClaim: db
      .update(o)
      .set({ status: 'queued', updatedAt: sql`now()` })
      .where(and(eq(o.id, p('id')), eq(o.status, 'sending')))
      .prepare('outbound_release_claim'),
    discard: db.delete(o).where(eq(o.id, p('id'))).prepare('outbound_discard'),
    applyReceipt: db
      .update(o)
      .set({
        status: sql`${p('status')}`,
        updatedAt: sql`now()`,
        errorCode: sql`coalesce(nullif(${p('errorCode')}::text, ''), ${o.errorCode})`,
        deliveredAt: sql`case when ${p('status')}::text = 'delivered' then now() else ${o.deliveredAt} end`,
      })
      .where(and(eq(o.channel, p('channel')), eq(o.providerId, p('providerId')), sql`${RANK_OF_STATUS} < ${p('rank')}::integer`))
      .returning()
      .prepare('outbound_apply_receipt'),
  };
}

/**
 * The record of every send. The claim (`queued` → `sending`, attempts + 1) is one conditional UPDATE,
 * so two workers, or a job redelivered after a crash, can never both call the provider for one row.
 * Every statement of the per-message path is prepared once: drizzle does not rebuild its SQL per call.
 */
@Injectable()
export class OutboundMessagesRepository {
  private readonly statements;
  /** the insert of n rows at once, per n (a turn has a handful of replies). */
  private readonly inserts = new Map<number, InsertStatement>();

  constructor(@Inject(DATABASE) private readonly db: Database) {
    this.statements = prepareStatements(db);
  }

  /**
   * Inserts the rows in one statement, in their order (each one a microsecond after the previous, so
   * the send order is theirs); a row whose id already exists is left alone. Returns the ids inserted.
   */
  async createMany(rows: NewOutboundRow[]): Promise<Set<string>> {
    const created = new Set<string>();
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_INSERT);
      for (const { id } of await this.insertOf(chunk.length).execute(insertParams(chunk))) created.add(id);
    }
    return created;
  }

  async findById(id: string): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.statements.byId.execute({ id });
    return row;
  }

  /** The status of each row that exists (a turn handed over again looks its replies up at once). */
  async statusesOf(ids: string[]): Promise<Map<string, OutboundStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await this.statements.statuses.execute({ ids });
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  async findByProviderId(channel: ChannelName, providerId: string): Promise<OutboundMessageRow | undefined> {
    const [row] = await this.statements.byProviderId.execute({ channel, providerId });
    return row;
  }

  /**
   * Claims a queued row unless an older message to her created within `withinMs` holds it back or she
   * may no longer receive it (see prepareClaimStatement); undefined when there is no such row.
   */
  async claim(id: string, withinMs: number): Promise<ClaimVerdict | undefined> {
    const [verdict] = await this.statements.claim.execute({ id, withinMs });
    return verdict;
  }

  /** Gives back a claim this process made without calling the provider: `sending` → `queued`. */
  async releaseClaim(id: string): Promise<void> {
    await this.statements.releaseClaim.execute({ id });
  }

  async markSent(id: string, providerId: string): Promise<void> {
    await this.statements.markSent.execute({ id, providerId });
  }

  /** A clear failure before acceptance: back to `queued`, so the next attempt may claim it. */
  async requeue(id: string, errorCode: string): Promise<void> {
    await this.statements.markStatus.execute({ id, status: 'queued', errorCode });
  }

  /** `failed` or `unknown` (never resent) with the provider's code. */
  async markFinal(id: string, status: 'failed' | 'unknown', errorCode: string): Promise<void> {
    await this.statements.markStatus.execute({ id, status, errorCode });
  }

  /** Drops a row that will not be sent (she opted out or was erased meanwhile): nothing went out. */
  async discard(id: string): Promise<void> {
    await this.statements.discard.execute({ id });
  }

  /**
   * A delivery receipt. Returns the updated row (for `contact_id`), or undefined when no row has this
   * provider id or the receipt is older than what the row already knows.
   */
  async applyReceipt(channel: ChannelName, providerId: string, status: OutboundStatus, errorCode?: string | null): Promise<OutboundMessageRow | undefined> {
    if (RANK[status] === 0) return undefined;
    const [row] = await this.statements.applyReceipt.execute({ channel, providerId, status, errorCode: errorCode ?? null, rank: RANK[status] });
    return row;
  }

  /** Rows per status (staff see how many ended `unknown` or `failed`). */
  async countByStatus(channel?: ChannelName): Promise<Partial<Record<OutboundStatus, number>>> {
    const rows = await this.db
      .select({ status: o.status, n: sql<number>`count(*)::int` })
      .from(o)
      .where(channel ? eq(o.channel, channel) : undefined)
      .groupBy(o.status);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  private insertOf(n: number): InsertStatement {
    let statement = this.inserts.get(n);
    if (!statement) this.inserts.set(n, (statement = prepareInsertStatement(this.db, n)));
    return statement;
  }
}

/** Larger batches (never seen: a turn has a few replies) go in several statements, still in order. */
const MAX_ROWS_PER_INSERT = 16;

function insertParams(rows: NewOutboundRow[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  rows.forEach((row, i) => {
    params[`id${i}`] = row.id;
    params[`channel${i}`] = row.channel;
    params[`contactId${i}`] = row.contactId;
    params[`kind${i}`] = row.kind;
    params[`segments${i}`] = row.segments ?? null;
    params[`encoding${i}`] = row.encoding ?? null;
  });
  return params;
}
