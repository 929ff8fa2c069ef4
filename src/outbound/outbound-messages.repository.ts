import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { ChannelName } from '../common/channel-name';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { prepareClaimStatement, type ClaimVerdict } from './outbound-claim.statement';
import { prepareInsertStatement, type InsertStatement, type NewOutboundRow } from './outbound-insert.statement';
import { outboundMessages as o, type OutboundMessageRow } from './outbound-messages.schema';
import { countOutbound, outcomeOfStatus } from '../metrics/process-metrics';
import { OUTBOUND_STATUSES, type OutboundJobKind, type OutboundProvider, type OutboundStatus } from './outbound.types';

/** A queued row as the sweep reads it: what its job is rebuilt from. */
export interface SweepRow {
  id: string;
  channel: ChannelName;
  contactId: string | null;
  kind: OutboundJobKind;
  /** her address under AddressCipher, context `outboundAddressContext(id)` (the job's `to`). */
  addressEnc: string;
  message: unknown;
}

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

/** What a settled row no longer keeps: her address and the message, needed only to re-queue a lost job. */
const UNSETTLED_WIPED = { addressEnc: null, addressKeyId: null, pendingMessage: null } as const;

/** The statements the send path runs per message, built once and prepared (named) on each connection. */
function prepareStatements(db: Database) {
  return {
    claim: prepareClaimStatement(db),
    byId: db.select().from(o).where(eq(o.id, p('id'))).prepare('outbound_by_id'),
    // the staff board asks these on every refresh
    countByStatus: db.select({ status: o.status, n: sql<number>`count(*)::int` }).from(o).groupBy(o.status).prepare('outbound_count_by_status'),
    countByStatusOf: db
      .select({ status: o.status, n: sql<number>`count(*)::int` })
      .from(o)
      .where(eq(o.channel, p('channel')))
      .groupBy(o.status)
      .prepare('outbound_count_by_status_of'),
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
    // settled: who sent it is kept, what only its job needed (her address, the message) is wiped
    markSent: db
      .update(o)
      .set({
        status: 'sent',
        providerId: sql`${p('providerId')}`,
        provider: sql`${p('provider')}`,
        line: sql`${p('line')}`,
        errorCode: null,
        sentAt: sql`now()`,
        updatedAt: sql`now()`,
        ...UNSETTLED_WIPED,
      })
      .where(eq(o.id, p('id')))
      .returning({ channel: o.channel })
      .prepare('outbound_mark_sent'),
    // `failed` / `unknown`: final, never resent
    markFinal: db
      .update(o)
      .set({ status: sql`${p('status')}`, errorCode: sql`${p('errorCode')}`, updatedAt: sql`now()`, ...UNSETTLED_WIPED })
      .where(eq(o.id, p('id')))
      .returning({ channel: o.channel })
      .prepare('outbound_mark_final'),
    // `queued` again after a provider's clear failure: the job may still be lost, so the row keeps her address
    requeue: db
      .update(o)
      .set({ status: 'queued', errorCode: sql`${p('errorCode')}`, updatedAt: sql`now()` })
      .where(eq(o.id, p('id')))
      .prepare('outbound_requeue'),
    releaseClaim: db
      .update(o)
      .set({ status: 'queued', updatedAt: sql`now()` })
      .where(and(eq(o.id, p('id')), eq(o.status, 'sending')))
      .prepare('outbound_release_claim'),
    discard: db.delete(o).where(eq(o.id, p('id'))).returning({ channel: o.channel }).prepare('outbound_discard'),
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
 * Every settling statement counts the status it reached in `sira_outbound_total{channel,outcome}`
 * (src/metrics), from the channel the row itself names.
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

  /** Sent: records who took it (provider, SMS line) and wipes what only its job needed. */
  async markSent(id: string, providerId: string, by: { provider?: OutboundProvider; line?: string } = {}): Promise<void> {
    const [row] = await this.statements.markSent.execute({ id, providerId, provider: by.provider ?? null, line: by.line ?? null });
    if (row) countOutbound(row.channel, 'sent');
  }

  /** A clear failure before acceptance: back to `queued`, so the next attempt may claim it. */
  async requeue(id: string, errorCode: string): Promise<void> {
    await this.statements.requeue.execute({ id, errorCode });
  }

  /** `failed` or `unknown` (never resent) with the provider's code; her address and the message are wiped. */
  async markFinal(id: string, status: 'failed' | 'unknown', errorCode: string): Promise<void> {
    const [row] = await this.statements.markFinal.execute({ id, status, errorCode });
    if (row) countOutbound(row.channel, status);
  }

  /**
   * A row left `sending` whose job is gone: `unknown` (its provider call may have happened), never resent;
   * only if it is still `sending` (a receipt may have moved it on meanwhile). Wipes her address.
   */
  async markOrphanUnknown(id: string): Promise<boolean> {
    const updated = await this.db
      .update(o)
      .set({ status: 'unknown', errorCode: 'job_lost', updatedAt: sql`now()`, ...UNSETTLED_WIPED })
      .where(and(eq(o.id, id), eq(o.status, 'sending')))
      .returning({ id: o.id, channel: o.channel });
    for (const row of updated) countOutbound(row.channel, 'unknown');
    return updated.length > 0;
  }

  /**
   * Rows still `queued` whose job a lost Redis may have taken with it (oldest first, at most `limit`),
   * untouched for `idleMs`: a row being queued right now is left to its own job. Only rows that kept
   * what a job needs (her address; rows queued before the column existed have none).
   */
  async listQueuedForSweep(idleMs: number, limit: number): Promise<SweepRow[]> {
    return this.listUnsettled('queued', idleMs, limit);
  }

  /** Rows `sending` for longer than `idleMs` (a claim whose job may be gone with Redis), oldest first. */
  async listSendingForSweep(idleMs: number, limit: number): Promise<SweepRow[]> {
    return this.listUnsettled('sending', idleMs, limit);
  }

  private async listUnsettled(status: 'queued' | 'sending', idleMs: number, limit: number): Promise<SweepRow[]> {
    const rows = await this.db
      .select({ id: o.id, channel: o.channel, contactId: o.contactId, kind: o.kind, addressEnc: o.addressEnc, message: o.pendingMessage })
      .from(o)
      .where(and(eq(o.status, status), isNotNull(o.addressEnc), sql`${o.updatedAt} < now() - ${idleMs}::integer * interval '1 millisecond'`))
      .orderBy(o.createdAt, o.id)
      .limit(limit);
    return rows.map((r) => ({ ...r, kind: r.kind as OutboundJobKind, addressEnc: r.addressEnc!, message: (r.message as { message?: unknown } | null)?.message }));
  }

  /** Drops a row that will not be sent (she opted out or was erased meanwhile): nothing went out. */
  async discard(id: string): Promise<void> {
    for (const row of await this.statements.discard.execute({ id })) countOutbound(row.channel, 'discarded');
  }

  /**
   * A delivery receipt. Returns the updated row (for `contact_id`), or undefined when no row has this
   * provider id or the receipt is older than what the row already knows.
   */
  async applyReceipt(channel: ChannelName, providerId: string, status: OutboundStatus, errorCode?: string | null): Promise<OutboundMessageRow | undefined> {
    if (RANK[status] === 0) return undefined;
    const [row] = await this.statements.applyReceipt.execute({ channel, providerId, status, errorCode: errorCode ?? null, rank: RANK[status] });
    const outcome = row ? outcomeOfStatus(row.status) : undefined;
    if (outcome) countOutbound(row!.channel, outcome);
    return row;
  }

  /** Rows per status (staff see how many ended `unknown` or `failed`). */
  async countByStatus(channel?: ChannelName): Promise<Partial<Record<OutboundStatus, number>>> {
    const rows = channel ? await this.statements.countByStatusOf.execute({ channel }) : await this.statements.countByStatus.execute();
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
    params[`addressEnc${i}`] = row.addressEnc ?? null;
    params[`addressKeyId${i}`] = row.addressKeyId ?? null;
    // wrapped: a bare JSON string such as "1" would be read back as a number
    params[`pendingMessage${i}`] = row.message === undefined ? null : JSON.stringify({ message: row.message });
  });
  return params;
}
