import { boolean, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/contacts.schema';

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

/**
 * Her choice that Sira never writes first (no confirmation after a call, no reminder): replies to what
 * she sends are not affected. No row: proactive messages allowed where she said an SMS is safe.
 * Goes with her on erasure (ON DELETE CASCADE).
 */
export const contactPreferences = pgTable('contact_preferences', {
  contactId: uuid('contact_id')
    .primaryKey()
    .references(() => contacts.id, { onDelete: 'cascade' }),
  proactiveAllowed: boolean('proactive_allowed').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
