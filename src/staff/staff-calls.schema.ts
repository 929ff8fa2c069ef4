import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { callbackRequests } from '../callbacks/callbacks.schema';
import { staffUsers } from './staff.schema';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * How a call through Sira got on: `placed` (her phone rings, the agent's), `bridged` (the agent
 * answered and Sira dials the woman), then `finished` (the Dial's outcome came back), `agent_unreached`
 * (the agent's phone did not answer, or a machine did), `not_placed` (the provider refused the call),
 * `refused` (the agent answered but the request had moved on: nobody is dialled).
 */
export const STAFF_CALL_STATES = ['placed', 'bridged', 'finished', 'agent_unreached', 'not_placed', 'refused'] as const;
export type StaffCallState = (typeof STAFF_CALL_STATES)[number];

/** What the provider said of the woman's leg (Twilio's DialCallStatus, provider-neutral words). */
export const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type DialStatus = (typeof DIAL_STATUSES)[number];

/**
 * One call a staff member made to a woman through Sira (her number never shown to staff). The row id
 * is the opaque token in the provider's webhook URLs: it names no number and no request. No number is
 * stored here: the bridge decrypts hers from the request when the agent answers. Erasing her request
 * deletes its calls (the audit log keeps the ids).
 */
export const staffCalls = pgTable(
  'staff_calls',
  {
    id: uuid('id').primaryKey(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => callbackRequests.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id),
    /** the request's attempt and claim count when the call started: a later claim cannot use this call. */
    attempt: integer('attempt').notNull(),
    claims: integer('claims').notNull(),
    state: text('state').$type<StaffCallState>().notNull(),
    dialStatus: text('dial_status').$type<DialStatus>(),
    durationSeconds: integer('duration_seconds'),
    /**
     * the provider's ids of the call's legs (the agent's, and the dial to her): her erasure asks the
     * provider to delete them, with their logs (which hold the TwiML that dialled her number).
     */
    providerCallIds: jsonb('provider_call_ids').$type<string[]>().notNull().default([]),
    createdAt: timestamptz('created_at').notNull(),
    endedAt: timestamptz('ended_at'),
  },
  (t) => [
    index('staff_calls_request_idx').on(t.requestId),
    check('staff_calls_state_check', sql`${t.state} in ('placed', 'bridged', 'finished', 'agent_unreached', 'not_placed', 'refused')`),
  ],
);

export type StaffCallRow = typeof staffCalls.$inferSelect;
