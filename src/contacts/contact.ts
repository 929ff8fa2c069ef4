import type { ChannelName } from '../common/channel-name';
import type { ConsentState, ContactRow } from './contacts.schema';

export type { ChannelName } from '../common/channel-name';
export type { ConsentState } from './contacts.schema';

/**
 * A contact as the rest of the application sees it. The encrypted address never leaves the
 * repository: `hasAddress` says whether one is stored, `revealAddress` decrypts it on purpose.
 */
export interface Contact {
  id: string;
  channel: ChannelName;
  /** the blind index of her address on this channel (what Redis keys use). */
  addressIndex: string;
  hasAddress: boolean;
  language: string | null;
  optedOut: boolean;
  /** why she is opted out: 'keyword', 'carrier', 'blocked', …; null when not opted out. */
  optedOutSource: string | null;
  optedOutAt: Date | null;
  /** she chose to listen: replies on a chat channel also come as recorded voice messages. */
  listenMode: boolean;
  consentState: ConsentState;
  /** version of the consent text she accepted (kept after withdrawal, as a record). */
  consentVersion: string | null;
  /** when the consent state last changed (given or withdrawn). */
  consentAt: Date | null;
  /** the provider she came through: 'twilio', 'telegram', 'simulator', … */
  source: string;
  createdAt: Date;
  updatedAt: Date;
}

export class ContactNotFoundError extends Error {
  constructor(id: string) {
    super(`contact ${id} not found`);
    this.name = 'ContactNotFoundError';
  }
}

/** The address given at consent is not the one this contact was created from. */
export class AddressMismatchError extends Error {
  constructor(id: string) {
    super(`address does not belong to contact ${id}`);
    this.name = 'AddressMismatchError';
  }
}

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    channel: row.channel,
    addressIndex: row.addressIndex,
    hasAddress: row.addressEnc !== null,
    language: row.language,
    optedOut: row.optedOut,
    optedOutSource: row.optedOutSource,
    optedOutAt: row.optedOutAt,
    listenMode: row.listenMode,
    consentState: row.consentState,
    consentVersion: row.consentVersion,
    consentAt: row.consentAt,
    source: row.source,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
