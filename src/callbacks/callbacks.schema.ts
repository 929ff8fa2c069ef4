import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/contacts.schema';
import type { ChannelName } from '../common/channel-name';
import type { CallbackStatus, CallbackTopic, CallOutcome, CallWindow } from './callback.types';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One request to be called back. Her number is only in `number_enc` (AES-GCM bound to the row id) and
 * as a blind index for look-ups; everything else is what a staff member needs to call safely. Erasing
 * the contact deletes her requests and their history (ON DELETE CASCADE).
 */
export const callbackRequests = pgTable(
  'callback_requests',
  {
    id: uuid('id').primaryKey(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<ChannelName>().notNull(),
    refCode: text('ref_code').notNull(),
    topic: text('topic').$type<CallbackTopic>().notNull(),
    urgent: boolean('urgent').notNull().default(false),
    callLanguage: text('call_language').notNull(),
    windows: jsonb('windows').$type<CallWindow[]>().notNull(),
    voicemailSafe: boolean('voicemail_safe').notNull(),
    smsSafe: boolean('sms_safe').notNull(),
    numberEnc: text('number_enc').notNull(),
    numberKeyId: text('number_key_id').notNull(),
    numberIndex: text('number_index').notNull(),
    consentVersion: text('consent_version').notNull(),
    status: text('status').$type<CallbackStatus>().notNull().default('pending'),
    /** which call attempt the request is on (1 until a "no answer"). */
    attempt: integer('attempt').notNull().default(1),
    /** how many times it was claimed (names the expire-claim job of each claim). */
    claims: integer('claims').notNull().default(0),
    claimedBy: text('claimed_by'),
    claimedAt: timestamptz('claimed_at'),
    /** when the current attempt became due (creation, or the start of the retry window). */
    dueAt: timestamptz('due_at').notNull(),
    notifiedAt: timestamptz('notified_at'),
    escalatedAt: timestamptz('escalated_at'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
    closedAt: timestamptz('closed_at'),
  },
  (t) => [
    uniqueIndex('callback_requests_ref_code_key').on(t.refCode),
    // one open request per contact, enforced by the database (two messages racing cannot make two)
    uniqueIndex('callback_requests_one_open_per_contact')
      .on(t.contactId)
      .where(sql`${t.status} in ('pending', 'claimed', 'no_answer')`),
    index('callback_requests_status_idx').on(t.status),
    index('callback_requests_number_index_idx').on(t.numberIndex),
    check('callback_requests_topic_check', sql`${t.topic} in ('reparations', 'testimony', 'legal', 'other', 'safety')`),
    check(
      'callback_requests_status_check',
      sql`${t.status} in ('pending', 'claimed', 'completed', 'no_answer', 'cancelled', 'unreachable', 'erased')`,
    ),
  ],
);

/** Every status change, with who made it and when (the staff side reads it as the request's history). */
export const callbackTransitions = pgTable(
  'callback_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => callbackRequests.id, { onDelete: 'cascade' }),
    /** null for the creation of the request. */
    fromStatus: text('from_status').$type<CallbackStatus>(),
    toStatus: text('to_status').$type<CallbackStatus>().notNull(),
    /** 'contact', 'system' or 'staff:<staff id>'. */
    actor: text('actor').notNull(),
    at: timestamptz('at').notNull(),
  },
  (t) => [index('callback_transitions_request_idx').on(t.requestId, t.at)],
);

/**
 * The result of one call, with the caller's short note encrypted like her number (AES-GCM bound to
 * this row). Erasing her request erases its outcomes (ON DELETE CASCADE).
 */
export const callbackOutcomes = pgTable(
  'callback_outcomes',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => callbackRequests.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id').notNull(),
    outcome: text('outcome').$type<CallOutcome>().notNull(),
    attempt: integer('attempt').notNull(),
    noteEnc: text('note_enc'),
    noteKeyId: text('note_key_id'),
    at: timestamptz('at').notNull(),
  },
  (t) => [
    index('callback_outcomes_request_idx').on(t.requestId, t.at),
    check('callback_outcomes_outcome_check', sql`${t.outcome} in ('reached', 'no_answer', 'wrong_number', 'asked_to_stop', 'rescheduled')`),
  ],
);

export type CallbackRequestRow = typeof callbackRequests.$inferSelect;
export type CallbackTransitionRow = typeof callbackTransitions.$inferSelect;
export type CallbackOutcomeRow = typeof callbackOutcomes.$inferSelect;
