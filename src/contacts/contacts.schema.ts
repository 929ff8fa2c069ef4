import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ChannelName } from '../common/channel-name';

export type ConsentState = 'none' | 'given' | 'withdrawn';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * One identity on one channel (an SMS number, a Telegram chat): never linked across channels.
 * The address itself is only in `address_enc`, and only once she has consented; before that the row
 * holds the blind index, her language and opt-out state, nothing that names her.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').$type<ChannelName>().notNull(),
    addressIndex: text('address_index').notNull(),
    addressEnc: text('address_enc'),
    addressKeyId: text('address_key_id'),
    language: text('language'),
    optedOut: boolean('opted_out').notNull().default(false),
    optedOutSource: text('opted_out_source'),
    optedOutAt: timestamptz('opted_out_at'),
    /** she chose to hear her replies as voice messages on this chat channel (never switched on by Sira). */
    listenMode: boolean('listen_mode').notNull().default(false),
    consentState: text('consent_state').$type<ConsentState>().notNull().default('none'),
    consentVersion: text('consent_version'),
    consentAt: timestamptz('consent_at'),
    source: text('source').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('contacts_channel_address_index_key').on(t.channel, t.addressIndex),
    check('contacts_channel_check', sql`${t.channel} in ('sms', 'telegram', 'simulator', 'voice', 'whatsapp')`),
    check('contacts_consent_state_check', sql`${t.consentState} in ('none', 'given', 'withdrawn')`),
    // The rule, enforced by the database too: no stored address without consent.
    check('contacts_address_needs_consent_check', sql`${t.addressEnc} is null or ${t.consentState} = 'given'`),
  ],
);

export type ContactRow = typeof contacts.$inferSelect;
