import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/contacts.schema';
import type { ChannelName } from '../common/channel-name';
import type { OutboundProvider, OutboundStatus } from './outbound.types';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One row per message Sira sends, written before the provider is called (at most once). It holds ids,
 * status and cost, and who sent it (`provider`, `line`), never her words. While the message is
 * unsettled (`queued`, `sending`) it also keeps what its job needs, so a job Redis lost can be put back:
 * her address encrypted under the row (`address_enc`, `address_key_id`) and the bot's own rendered
 * message (`pending_message`, as the job carries it); both are wiped once it is sent, failed, refused or
 * ended unknown. `contact_id` is null only for a message that answers her erasure (the contact is
 * already gone); erasing a contact deletes her rows.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').$type<ChannelName>().notNull(),
    contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    status: text('status').$type<OutboundStatus>().notNull().default('queued'),
    providerId: text('provider_id'),
    provider: text('provider').$type<OutboundProvider>(),
    line: text('line'),
    addressEnc: text('address_enc'),
    addressKeyId: text('address_key_id'),
    pendingMessage: jsonb('pending_message'),
    segments: integer('segments'),
    encoding: text('encoding'),
    attempts: integer('attempts').notNull().default(0),
    errorCode: text('error_code'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    sentAt: timestamptz('sent_at'),
    deliveredAt: timestamptz('delivered_at'),
  },
  (t) => [
    index('outbound_messages_provider_id_idx').on(t.channel, t.providerId),
    index('outbound_messages_contact_id_idx').on(t.contactId),
    index('outbound_messages_status_idx').on(t.status),
    check(
      'outbound_messages_status_check',
      sql`${t.status} in ('queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'unknown')`,
    ),
  ],
);

export type OutboundMessageRow = typeof outboundMessages.$inferSelect;
