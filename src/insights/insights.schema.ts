import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

/**
 * Programme insight without a trail (issue 27): counters per Africa/Bamako day and what was counted,
 * never who. No contact id, no number, no chat id, no reference code, nothing she wrote: the key is
 * closed vocabulary only (flow and node ids, language codes, channel names, topics, outcomes and time
 * buckets), so a row cannot be joined to a woman and an erasure has nothing here to delete.
 * Written by InsightsFlush from the Redis tallies the turns add (src/insights/insights.flush.ts).
 */
export const insightCounts = pgTable(
  'insight_counts',
  {
    /** Africa/Bamako calendar day (YYYY-MM-DD) the counted thing happened. */
    day: date('day', { mode: 'string' }).notNull(),
    /** what is counted (src/insights/insight-metrics.ts). */
    metric: text('metric').notNull(),
    flow: text('flow').notNull().default(''),
    node: text('node').notNull().default(''),
    language: text('language').notNull().default(''),
    channel: text('channel').notNull().default(''),
    /** callbacks and subscriptions: their topic (reparations, testimony, …). */
    topic: text('topic').notNull().default(''),
    /** a closed word qualifying the metric: a call outcome, urgency, a time-to-first-call bucket. */
    detail: text('detail').notNull().default(''),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.metric, t.flow, t.node, t.language, t.channel, t.topic, t.detail] })],
);

export type InsightCountRow = typeof insightCounts.$inferSelect;
