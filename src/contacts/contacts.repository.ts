import { Inject, Injectable } from '@nestjs/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { AddressCipher } from '../crypto/address-cipher';
import { BlindIndex } from '../crypto/blind-index';
import { normaliseAddress } from '../crypto/normalise-address';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import type { ChannelName } from '../common/channel-name';
import { AddressMismatchError, Contact, ContactNotFoundError, toContact } from './contact';
import { contacts } from './contacts.schema';

type ContactChanges = PgUpdateSetSource<typeof contacts>;

/** Her address encrypted for her contact row (bound to it), ready to be written with her request. */
export interface SealedAddress {
  addressEnc: string;
  addressKeyId: string;
}

/** An erase racing a first message could empty the row between insert and read; retry a little. */
const FIND_OR_CREATE_ATTEMPTS = 3;

/**
 * Contacts in PostgreSQL. Look-ups go through the blind index; the address is encrypted, and stored
 * only while consent is given. Every write stamps `updated_at` with the database clock (UTC).
 */
@Injectable()
export class ContactsRepository {
  /**
   * The look-ups every message makes, prepared once: drizzle then skips rebuilding their SQL each time
   * (12 % of the service's CPU under load in the webhook benchmark's profile, bench/profile-notes.md).
   */
  private readonly byIndex;
  private readonly byId;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly index: BlindIndex,
    private readonly cipher: AddressCipher,
  ) {
    this.byIndex = db
      .select()
      .from(contacts)
      .where(and(eq(contacts.channel, sql.placeholder('channel')), eq(contacts.addressIndex, sql.placeholder('addressIndex'))))
      .prepare('contacts_by_index');
    this.byId = db.select().from(contacts).where(eq(contacts.id, sql.placeholder('id'))).prepare('contacts_by_id');
  }

  /**
   * The contact for this address on this channel, created on first contact. Safe under concurrency:
   * the unique (channel, address_index) lets exactly one insert win, and everyone reads that row.
   * Reads first because nearly every message comes from someone already known.
   */
  async findOrCreate(channel: ChannelName, address: string, source: string): Promise<Contact> {
    const addressIndex = this.index.of(channel, address);
    for (let attempt = 0; attempt < FIND_OR_CREATE_ATTEMPTS; attempt++) {
      const existing = await this.findByIndex(channel, addressIndex);
      if (existing) return existing;
      const [inserted] = await this.db
        .insert(contacts)
        .values({ channel, addressIndex, source })
        .onConflictDoNothing({ target: [contacts.channel, contacts.addressIndex] })
        .returning();
      if (inserted) return toContact(inserted);
    }
    throw new Error('contact could not be created: it was erased repeatedly while being created');
  }

  async findByAddress(channel: ChannelName, address: string): Promise<Contact | undefined> {
    return this.findByIndex(channel, this.index.of(channel, address));
  }

  /** For callers that only hold the blind index (e.g. from a Redis key). */
  async findByIndex(channel: ChannelName, addressIndex: string): Promise<Contact | undefined> {
    const [row] = await this.byIndex.execute({ channel, addressIndex });
    return row ? toContact(row) : undefined;
  }

  async findById(id: string): Promise<Contact | undefined> {
    const [row] = await this.byId.execute({ id });
    return row ? toContact(row) : undefined;
  }

  setLanguage(id: string, language: string | null): Promise<Contact> {
    return this.update(id, { language });
  }

  setListenMode(id: string, listenMode: boolean): Promise<Contact> {
    return this.update(id, { listenMode });
  }

  /** Opting out records why (keyword, carrier, blocked…) and when; opting back in clears both. */
  setOptedOut(id: string, optedOut: boolean, source?: string): Promise<Contact> {
    return this.update(
      id,
      optedOut
        ? { optedOut, optedOutSource: source ?? null, optedOutAt: sql`now()` }
        : { optedOut, optedOutSource: null, optedOutAt: null },
    );
  }

  /**
   * Her address encrypted for this contact's row, written only together with what her consent covers
   * (a confirmed callback request: callback-create.statement.ts). The address must be the one the
   * contact was created from (checked against the blind index).
   */
  sealAddress(contact: Pick<Contact, 'id' | 'channel' | 'addressIndex'>, address: string): SealedAddress {
    if (!this.index.matches(contact.channel, address, contact.addressIndex)) throw new AddressMismatchError(contact.id);
    const { token, kid } = this.cipher.encrypt(normaliseAddress(contact.channel, address), aadFor(contact.id));
    return { addressEnc: token, addressKeyId: kid };
  }

  /**
   * Records consent to `version` with her address, as one update of her row: the same columns a
   * request's creation writes, for a consent recorded on its own (data repair, test fixtures). The
   * conversation never calls it: her number is written only with a confirmed request.
   */
  async giveConsent(id: string, version: string, address: string): Promise<Contact> {
    const contact = await this.findById(id);
    if (!contact) throw new ContactNotFoundError(id);
    const sealed = this.sealAddress(contact, address);
    return this.update(id, { consentState: 'given', consentVersion: version, consentAt: sql`now()`, ...sealed });
  }

  /** Withdrawal drops the stored address at once; language and opt-out stay (allowed without consent). */
  withdrawConsent(id: string): Promise<Contact> {
    return this.update(id, {
      consentState: 'withdrawn',
      consentAt: sql`now()`,
      addressEnc: null,
      addressKeyId: null,
    });
  }

  /** Deletes the row. Returns whether there was one. */
  async erase(id: string): Promise<boolean> {
    const deleted = await this.db.delete(contacts).where(eq(contacts.id, id)).returning({ id: contacts.id });
    return deleted.length > 0;
  }

  /**
   * Her address in clear, or null when none is stored. Only for audited staff actions: the caller
   * records who asked and why before calling this.
   */
  async revealAddress(id: string): Promise<string | null> {
    const [row] = await this.db.select({ enc: contacts.addressEnc }).from(contacts).where(eq(contacts.id, id));
    if (!row) throw new ContactNotFoundError(id);
    return row.enc === null ? null : this.cipher.decrypt(row.enc, aadFor(id));
  }

  /** The stored addresses of many contacts in one query (a broadcast's page); one that cannot be read is left out. */
  async revealAddresses(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (ids.length === 0) return out;
    const rows = await this.db.select({ id: contacts.id, enc: contacts.addressEnc }).from(contacts).where(inArray(contacts.id, ids));
    for (const row of rows) {
      if (row.enc === null) continue;
      try {
        out.set(row.id, this.cipher.decrypt(row.enc, aadFor(row.id)));
      } catch {
        // a key no longer held: nothing is sent to her
      }
    }
    return out;
  }

  private async update(id: string, changes: ContactChanges): Promise<Contact> {
    const [row] = await this.db
      .update(contacts)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(contacts.id, id))
      .returning();
    if (!row) throw new ContactNotFoundError(id);
    return toContact(row);
  }
}

/** The authenticated context of a stored address: a token copied into another row will not decrypt. */
function aadFor(id: string): string {
  return `contacts:${id}`;
}
