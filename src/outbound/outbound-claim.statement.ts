import { and, eq, sql } from 'drizzle-orm';
import { contacts } from '../contacts/contacts.schema';
import type { Database } from '../db/open-database';
import { outboundMessages as o } from './outbound-messages.schema';
import { OutboundJobKind, type OutboundStatus } from './outbound.types';

/** What the claim statement found, and whether it claimed the row (`queued` → `sending`, attempts + 1). */
export interface ClaimVerdict {
  /** the row's status as found, before this claim. */
  status: OutboundStatus;
  /** an older message of the same kind to her on this channel is still queued or being sent. */
  held: boolean;
  /** she may still be sent it: not opted out, or a reply queued after her opt-out (the STOP confirmation). */
  allowed: boolean;
  claimed: boolean;
  segments: number | null;
}

/**
 * Everything the worker must know before it calls the provider, and the claim itself, as ONE statement:
 * the row, whether an older message to her holds it back, whether she may still receive it, and the
 * conditional claim (a data-modifying CTE: one round trip instead of four). The claim re-checks
 * `status = 'queued'` on the row as it stands when the UPDATE locks it, so two workers racing for one
 * row still cannot both claim it; the verdict columns say why a row was not claimed.
 *
 * Order (why `held`): a later message waits while an older one of the same kind to her is `sending`,
 * or `queued` whatever its attempts — never tried yet, in a retry backoff, or a claim given back — so
 * her messages leave in the order they were queued. Not one older than `withinMs` (a row whose job was
 * lost): it never holds the others back. The order is total (creation time, then id), so two messages
 * never wait for each other. Compared in SQL (microseconds), not with the JS Date (milliseconds).
 */
export function prepareClaimStatement(db: Database) {
  const verdict = db.$with('verdict').as(
    db
      .select({
        id: sql<string>`${o.id}`.as('row_id'),
        status: sql<OutboundStatus>`${o.status}`.as('found_status'),
        segments: sql<number | null>`${o.segments}`.as('found_segments'),
        held: sql<boolean>`${o.contactId} is not null and exists (
          select 1 from outbound_messages earlier
          where earlier.channel = ${o.channel} and earlier.contact_id = ${o.contactId} and earlier.kind = ${o.kind}
            and earlier.status in ('queued', 'sending')
            and (earlier.created_at, earlier.id) < (${o.createdAt}, ${o.id})
            and earlier.created_at > now() - ${sql.placeholder('withinMs')}::integer * interval '1 millisecond'
        )`.as('held'),
        // no contact: the answer to her erasure, nothing left to check against
        allowed: sql<boolean>`${o.contactId} is null or (${contacts.id} is not null and (not ${contacts.optedOut}
          or (${o.kind} = ${OutboundJobKind.Reply} and ${contacts.optedOutAt} is not null and ${o.createdAt} >= ${contacts.optedOutAt})))`.as('allowed'),
      })
      .from(o)
      // (a join also makes drizzle qualify every column: the subquery above must not read its own)
      .leftJoin(contacts, eq(contacts.id, o.contactId))
      .where(eq(o.id, sql.placeholder('id'))),
  );
  const claimed = db.$with('claimed').as(
    db
      .update(o)
      .set({ status: 'sending', attempts: sql`${o.attempts} + 1`, updatedAt: sql`now()` })
      .from(verdict)
      .where(and(eq(o.id, verdict.id), eq(o.status, 'queued'), sql`not ${verdict.held}`, sql`${verdict.allowed}`))
      .returning({ id: o.id }),
  );
  return db
    .with(verdict, claimed)
    .select({
      status: verdict.status,
      held: verdict.held,
      allowed: verdict.allowed,
      segments: verdict.segments,
      claimed: sql<boolean>`${claimed.id} is not null`,
    })
    .from(verdict)
    .leftJoin(claimed, sql`true`)
    .prepare('outbound_claim');
}

export type ClaimStatement = ReturnType<typeof prepareClaimStatement>;
