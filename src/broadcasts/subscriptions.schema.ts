import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/contacts.schema';

/** The topics a woman can ask news about: the two subjects Sira explains. */
export const SUBSCRIPTION_TOPICS = ['reparations', 'testimony'] as const;
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Her explicit request to hear news on one topic, on the channel (contact) she asked from, with the date and
 * the consent wording's version. One row per contact and topic; an ended subscription has `ended_at` and why.
 * Language and channel are read from the contact at send time (she may change her language). Goes with her on
 * erasure (ON DELETE CASCADE); what outlives her is only a count.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    topic: text('topic').$type<SubscriptionTopic>().notNull(),
    consentVersion: text('consent_version').notNull(),
    subscribedAt: timestamptz('subscribed_at').notNull().defaultNow(),
    /** subscribed_at + SUBSCRIPTION_MONTHS; renewed when she answers yes to the keep-it question. */
    expiresAt: timestamptz('expires_at').notNull(),
    /** when the neutral keep-it question was sent; no answer within the grace period ends the subscription. */
    renewalAskedAt: timestamptz('renewal_asked_at'),
    endedAt: timestamptz('ended_at'),
    /** stop_news | stop | erased | expired | discreet */
    endReason: text('end_reason'),
  },
  (t) => [
    uniqueIndex('subscriptions_contact_topic_key').on(t.contactId, t.topic),
    // broadcasts stream the active subscribers of one topic
    index('subscriptions_active_topic_idx').on(t.topic, t.contactId).where(sql`${t.endedAt} is null`),
    check('subscriptions_topic_check', sql`${t.topic} in ('reparations', 'testimony')`),
  ],
);

export type SubscriptionRow = typeof subscriptions.$inferSelect;
