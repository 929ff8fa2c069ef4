import { sql } from 'drizzle-orm';
import type { ChannelName } from '../common/channel-name';
import type { Database } from '../db/open-database';
import { outboundMessages as o } from './outbound-messages.schema';
import type { OutboundJobKind } from './outbound.types';

/** One row to record before its job is queued. */
export interface NewOutboundRow {
  id: string;
  channel: ChannelName;
  /** null only for the answer to her erasure. */
  contactId: string | null;
  kind: OutboundJobKind;
  segments?: number | null;
  encoding?: string | null;
  /** her address under AddressCipher (context `outboundAddressContext(id)`), kept until the row settles. */
  addressEnc?: string | null;
  addressKeyId?: string | null;
  /** the rendered message its job carries (the bot's own text), kept until the row settles. */
  message?: unknown;
}

/**
 * `n` rows in one multi-row INSERT, prepared under a name per `n`. A row whose id exists is left alone
 * (ON CONFLICT DO NOTHING: a turn handed over again); RETURNING gives the ids actually inserted. Row i
 * is created i microseconds after the statement's `now()`: one statement has one `now()`, and the
 * order of her messages is (created_at, id), with ids that are hashes — this keeps it the turn's order.
 */
export function prepareInsertStatement(db: Database, n: number) {
  const p = (name: string, i: number) => sql.placeholder(`${name}${i}`);
  const values = Array.from({ length: n }, (_, i) => ({
    id: p('id', i),
    channel: p('channel', i),
    contactId: p('contactId', i),
    kind: p('kind', i),
    segments: p('segments', i),
    encoding: p('encoding', i),
    addressEnc: p('addressEnc', i),
    addressKeyId: p('addressKeyId', i),
    pendingMessage: sql`${p('pendingMessage', i)}::jsonb`,
    createdAt: sql`now() + ${sql.raw(String(i))} * interval '1 microsecond'`,
  }));
  return db
    .insert(o)
    .values(values as never)
    .onConflictDoNothing({ target: o.id })
    .returning({ id: o.id })
    .prepare(`outbound_insert_${n}`);
}

export type InsertStatement = ReturnType<typeof prepareInsertStatement>;
