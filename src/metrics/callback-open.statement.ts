import { sql } from 'drizzle-orm';
import { callbackRequests as r } from '../callbacks/callbacks.schema';
import { OPEN_STATUSES } from '../callbacks/callback.types';
import type { Database } from '../db/open-database';

/** One row per urgency that has open requests: how many, and how long the oldest unclaimed one has waited. */
export interface CallbackOpenRow {
  urgent: boolean;
  open: number;
  /** seconds since the longest-waiting `pending` request became due (0 when none is pending). */
  waitingSeconds: number;
}

/** The statuses as SQL literals, from the constant (no input reaches it). */
const OPEN = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(', '));

/**
 * `sira_callback_open` and `sira_callback_waiting_seconds`, read at every scrape: one prepared
 * statement (named, prepared once per connection), counted by the database, on the status index.
 * Nothing about any woman leaves it: two counts and an age per urgency.
 */
export function prepareCallbackOpenStatement(db: Database) {
  return db
    .select({
      urgent: r.urgent,
      open: sql<number>`count(*)::int`,
      waitingSeconds: sql<number>`coalesce(max(greatest(extract(epoch from (now() - ${r.dueAt})), 0)) filter (where ${r.status} = 'pending'), 0)::float8`,
    })
    .from(r)
    .where(sql`${r.status} in (${OPEN})`)
    .groupBy(r.urgent)
    .prepare('metrics_callback_open');
}
