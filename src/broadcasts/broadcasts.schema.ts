import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/contacts.schema';
import { staffUsers } from '../staff/staff.schema';
import type { SubscriptionTopic } from './subscriptions.schema';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const BROADCAST_STATUSES = ['draft', 'approved', 'sending', 'sent', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** language → text (the notice that lands on her phone, or the news INFO opens). */
export type BroadcastTexts = Record<string, string>;

/**
 * One piece of news for the subscribers of a topic: drafted by a supervisor or an admin, approved by
 * another one (BROADCAST_TWO_PERSON), sent from `send_at` within BROADCAST_HOURS. `notice` is what lands
 * on her phone (discreet, checked when drafted); `news` is the content INFO shows inside the
 * conversation, each language with its review status (`news_status`, under CONTENT_MIN_STATUS).
 * `cursor` is the last contact id handed to the outbound queue: the sender resumes after it.
 */
export const broadcasts = pgTable(
  'broadcasts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    topic: text('topic').$type<SubscriptionTopic>().notNull(),
    status: text('status').$type<BroadcastStatus>().notNull().default('draft'),
    notice: jsonb('notice').$type<BroadcastTexts>().notNull(),
    /** the notice for contacts whose SMS line cannot carry her answer back: names the way that works. */
    noticeOneWay: jsonb('notice_one_way').$type<BroadcastTexts>(),
    news: jsonb('news').$type<BroadcastTexts>().notNull(),
    newsStatus: jsonb('news_status').$type<Record<string, 'draft' | 'reviewed' | 'legal'>>().notNull(),
    /** where the news comes from (domain-facts.md section, or a source the broadcast names). */
    source: text('source').notNull(),
    sendAt: timestamptz('send_at'),
    createdBy: uuid('created_by').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    approvedBy: uuid('approved_by').references(() => staffUsers.id, { onDelete: 'set null' }),
    approvedAt: timestamptz('approved_at'),
    /** approved by its own drafter (BROADCAST_TWO_PERSON=false, with the typed confirmation). */
    selfApproved: boolean('self_approved').notNull().default(false),
    cancelledBy: uuid('cancelled_by').references(() => staffUsers.id, { onDelete: 'set null' }),
    cancelledAt: timestamptz('cancelled_at'),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    cursor: uuid('cursor'),
  },
  (t) => [
    index('broadcasts_status_idx').on(t.status),
    check('broadcasts_status_check', sql`${t.status} in ('draft', 'approved', 'sending', 'sent', 'cancelled')`),
    check('broadcasts_topic_check', sql`${t.topic} in ('reparations', 'testimony')`),
  ],
);

export const DELIVERY_STATES = ['queued', 'skipped', 'withdrawn'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * One row per broadcast and recipient, written once (primary key: a restart never adds a second):
 * queued with the id of its outbound row (sent / delivered / failed are read there), or skipped with
 * the reason. Goes with her on erasure; what the report keeps is counts.
 */
export const broadcastDeliveries = pgTable(
  'broadcast_deliveries',
  {
    broadcastId: uuid('broadcast_id')
      .notNull()
      .references(() => broadcasts.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    language: text('language').notNull(),
    state: text('state').$type<DeliveryState>().notNull(),
    /** why it was not queued: stopped, discreet, no_address, no_channel, one_way_line, no_template, capped, indiscreet. */
    reason: text('reason'),
    outboundId: uuid('outbound_id'),
    segments: integer('segments').notNull().default(0),
    at: timestamptz('at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.broadcastId, t.contactId] }),
    index('broadcast_deliveries_outbound_idx').on(t.outboundId),
    // her notices of the last 30 days (BROADCAST_MAX_PER_MONTH, the figure her consent states)
    index('broadcast_deliveries_contact_at_idx').on(t.contactId, t.at),
  ],
);

export type BroadcastRow = typeof broadcasts.$inferSelect;
export type BroadcastDeliveryRow = typeof broadcastDeliveries.$inferSelect;
