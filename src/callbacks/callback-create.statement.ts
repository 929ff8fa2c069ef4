import type { Database } from '../db/open-database';

/** The values of one new request, as stored (the number already encrypted and indexed). */
export interface CreateParams {
  id: string;
  contactId: string;
  channel: string;
  refCode: string;
  topic: string;
  urgent: boolean;
  callLanguage: string;
  /** the call windows as JSON text (both drivers pass a string to a jsonb parameter unchanged). */
  windowsJson: string;
  voicemailSafe: boolean;
  smsSafe: boolean;
  numberEnc: string;
  numberKeyId: string;
  numberIndex: string;
  consentVersion: string;
  /** her own address (the line she writes from), sealed for her contact row; null leaves the row's as it is. */
  contactAddressEnc: string | null;
  contactAddressKeyId: string | null;
  now: Date;
}

/**
 * The row, its first transition ("created by her") and her consent as ONE statement: a data-modifying
 * CTE is a single command, so all of it commits together or none of it does (same guarantee as
 * BEGIN … COMMIT, in one round trip instead of four). The transition's foreign key is checked at the
 * end of the statement, when the row exists.
 *
 * Her consent and her own address are written to her contact row here and nowhere earlier: until the
 * request is confirmed nothing about it is stored (issue 19 §4), and a refused insert (she already has
 * an open request) stores nothing either.
 *
 * Every column a new request depends on is written here, none left to a table default (status
 * pending, attempt 1, no claim yet, due now; the other timestamps and `claimed_by` are null), so the
 * caller knows the stored row from its own values and only the id comes back: nothing to parse.
 */
const CREATE_SQL = `with inserted as (
  insert into callback_requests (id, contact_id, channel, ref_code, topic, urgent, call_language, windows, voicemail_safe, sms_safe,
    number_enc, number_key_id, number_index, consent_version, status, attempt, claims, due_at, created_at, updated_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending', 1, 0, $15, $15, $15)
  returning id, status, created_at
), history as (
  insert into callback_transitions (id, request_id, from_status, to_status, actor, at)
  select gen_random_uuid(), id, null, status, 'contact', created_at from inserted
), consented as (
  update contacts set consent_state = 'given', consent_version = $14, consent_at = $15,
    address_enc = coalesce($16, address_enc), address_key_id = coalesce($17, address_key_id), updated_at = now()
  where id = $2
)
select id from inserted`;

/** The columns a freshly created request has besides those in CreateParams (what CREATE_SQL writes). */
export const CREATED_DEFAULTS = {
  status: 'pending',
  attempt: 1,
  claims: 0,
  claimedBy: null,
  claimedAt: null,
  notifiedAt: null,
  escalatedAt: null,
  closedAt: null,
} as const;

export type CreateStatement = (params: CreateParams) => Promise<string | undefined>;

/**
 * Sends CREATE_SQL straight to the driver, without drizzle's per-call parameter filling and row mapping
 * (a third of the statement's CPU in the callback benchmark, bench/profile-notes.md): on node-postgres as
 * a named prepared statement, parsed and planned once per connection; on PGlite (in-process, no named
 * statements) as one extended-protocol query. Resolves to the new id once the statement has committed.
 */
export function prepareCreateStatement(db: Database): CreateStatement {
  const run = arrayRowsOf(db, 'callback_requests_create', CREATE_SQL);
  return async (p) => {
    const rows = await run([
      p.id,
      p.contactId,
      p.channel,
      p.refCode,
      p.topic,
      p.urgent,
      p.callLanguage,
      p.windowsJson,
      p.voicemailSafe,
      p.smsSafe,
      p.numberEnc,
      p.numberKeyId,
      p.numberIndex,
      p.consentVersion,
      p.now,
      p.contactAddressEnc,
      p.contactAddressKeyId,
    ]);
    return rows[0]?.[0] as string | undefined;
  };
}

interface PgLike {
  query(config: { name: string; text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
}
interface PgliteLike {
  waitReady: Promise<void>;
  query(text: string, params: unknown[], options: { rowMode: 'array' }): Promise<{ rows: unknown[][] }>;
}

/** A runner of one fixed statement on the driver behind drizzle (node-postgres pool or client, PGlite). */
function arrayRowsOf(db: Database, name: string, text: string): (values: unknown[]) => Promise<unknown[][]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client && typeof client === 'object' && 'waitReady' in client) {
    const lite = client as PgliteLike;
    return async (values) => (await lite.query(text, values, { rowMode: 'array' })).rows;
  }
  if (client && typeof (client as PgLike).query === 'function') {
    const pg = client as PgLike;
    return async (values) => (await pg.query({ name, text, values, rowMode: 'array' })).rows;
  }
  throw new Error('callback requests: unknown database driver (expected node-postgres or PGlite)');
}
