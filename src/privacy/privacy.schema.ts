import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Anonymous counts that outlive what they count: how many contacts were erased, how many callback
 * requests went with them or aged out, per day and channel. No id, no number, nothing to join on:
 * a count cannot be traced back to a woman, and it lets the programme report without keeping her.
 */
export const anonymousCounts = pgTable(
  'anonymous_counts',
  {
    metric: text('metric').notNull(),
    /** UTC day the counted thing happened. */
    day: date('day', { mode: 'string' }).notNull(),
    channel: text('channel').notNull(),
    value: integer('value').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.metric, t.day, t.channel] })],
);

export type AnonymousCountRow = typeof anonymousCounts.$inferSelect;
