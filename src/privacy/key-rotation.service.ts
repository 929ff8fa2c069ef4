import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNotNull, ne, or, isNull } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { callbackRequests } from '../callbacks/callbacks.schema';
import { contacts } from '../contacts/contacts.schema';
import { AddressCipher } from '../crypto/address-cipher';
import { KeyRing } from '../crypto/key-ring';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { outboundMessages } from '../outbound/outbound-messages.schema';
import { outboundAddressContext } from '../outbound/outbound.types';
import { callbackOutcomes, staffUsers } from '../db/schema';
import { totpContext } from '../staff/second-factor';
import { staffPhoneContext } from '../staff/staff-phone';

/** One encrypted column: where the token is, which key id it records, and its authenticated context. */
export interface EncryptedColumn {
  name: string;
  table: PgTable;
  id: PgColumn;
  enc: PgColumn;
  kid: PgColumn;
  context: (id: string) => string;
}

/**
 * Every column holding a secret under the address cipher. The contexts are the ones each repository
 * binds its tokens with (a token only decrypts in its own row).
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  { name: 'contacts.address', table: contacts, id: contacts.id, enc: contacts.addressEnc, kid: contacts.addressKeyId, context: (id) => `contacts:${id}` },
  { name: 'callback_requests.number', table: callbackRequests, id: callbackRequests.id, enc: callbackRequests.numberEnc, kid: callbackRequests.numberKeyId, context: (id) => `callback_requests:${id}` },
  { name: 'callback_outcomes.note', table: callbackOutcomes, id: callbackOutcomes.id, enc: callbackOutcomes.noteEnc, kid: callbackOutcomes.noteKeyId, context: (id) => `callback_outcomes:${id}` },
  { name: 'outbound_messages.address', table: outboundMessages, id: outboundMessages.id, enc: outboundMessages.addressEnc, kid: outboundMessages.addressKeyId, context: outboundAddressContext },
  { name: 'staff_users.totp', table: staffUsers, id: staffUsers.id, enc: staffUsers.totpSecretEnc, kid: staffUsers.totpSecretKeyId, context: totpContext },
  { name: 'staff_users.phone', table: staffUsers, id: staffUsers.id, enc: staffUsers.phoneEnc, kid: staffUsers.phoneKeyId, context: staffPhoneContext },
];

export interface RotationReport {
  activeKid: string;
  /** per column: how many tokens were re-encrypted under the active key. */
  reencrypted: Record<string, number>;
  /** per column: tokens still not under the active key afterwards (0 after a good run). */
  remaining: Record<string, number>;
}

/**
 * Re-encrypts every stored secret under the ring's active key (the first of SIRA_ENCRYPTION_KEYS).
 * Run after putting a new key first and keeping the old one after it; once `remaining` is all zero
 * the old key can leave the ring. The blind-index key is separate and untouched: look-ups keep working.
 */
@Injectable()
export class KeyRotationService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(KeyRing) private readonly keys: KeyRing,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
  ) {}

  async rotate(): Promise<RotationReport> {
    const active = this.keys.active.kid;
    const report: RotationReport = { activeKid: active, reencrypted: {}, remaining: {} };
    for (const col of ENCRYPTED_COLUMNS) {
      report.reencrypted[col.name] = await this.rotateColumn(col, active);
      report.remaining[col.name] = (await this.stale(col, active)).length;
    }
    return report;
  }

  private stale(col: EncryptedColumn, active: string): Promise<{ id: string; enc: string }[]> {
    return this.db
      .select({ id: col.id, enc: col.enc })
      .from(col.table)
      .where(and(isNotNull(col.enc), or(isNull(col.kid), ne(col.kid, active)))) as Promise<{ id: string; enc: string }[]>;
  }

  /** Row by row, each update conditional on the token it read: a row changed meanwhile is left for the next run. */
  private async rotateColumn(col: EncryptedColumn, active: string): Promise<number> {
    let done = 0;
    for (const row of await this.stale(col, active)) {
      const plain = this.cipher.decrypt(row.enc, col.context(row.id));
      const { token, kid } = this.cipher.encrypt(plain, col.context(row.id));
      const updated = await this.db
        .update(col.table)
        .set({ [keyOf(col.table, col.enc)]: token, [keyOf(col.table, col.kid)]: kid })
        .where(and(eq(col.id, row.id), eq(col.enc, row.enc)))
        .returning({ id: col.id });
      done += updated.length;
    }
    return done;
  }
}

/** The property name drizzle uses for a column of a table (update().set takes property names). */
function keyOf(table: PgTable, column: PgColumn): string {
  const entry = Object.entries(table).find(([, v]) => v === column);
  if (!entry) throw new Error(`column ${column.name} not found on its table`);
  return entry[0];
}
