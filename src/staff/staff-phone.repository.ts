import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { staffPhoneContext } from './staff-phone';
import { staffUsers } from './staff.schema';
import { isUuid } from './staff-users.repository';

/**
 * A staff member's own phone, the one a call through Sira rings first: under the address cipher bound
 * to her row (key rotation re-encrypts it, src/privacy/key-rotation.service.ts), never logged, never
 * in a StaffUser (so no page, API answer or log line that prints an account can carry it).
 */
@Injectable()
export class StaffPhoneRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `e164` already checked (checkStaffPhone); null removes it. */
  async set(staffId: string, e164: string | null): Promise<void> {
    const enc = e164 ? this.cipher.encrypt(e164, staffPhoneContext(staffId)) : null;
    await this.db
      .update(staffUsers)
      .set({ phoneEnc: enc?.token ?? null, phoneKeyId: enc?.kid ?? null, updatedAt: new Date(this.clock.now()) })
      .where(eq(staffUsers.id, staffId));
  }

  /** Whether she has one (nothing decrypted: the request page only needs to know). */
  async has(staffId: string): Promise<boolean> {
    if (!isUuid(staffId)) return false;
    const [row] = await this.db.select({ enc: staffUsers.phoneEnc }).from(staffUsers).where(eq(staffUsers.id, staffId));
    return Boolean(row?.enc);
  }

  async get(staffId: string): Promise<string | undefined> {
    if (!isUuid(staffId)) return undefined;
    const [row] = await this.db.select({ enc: staffUsers.phoneEnc }).from(staffUsers).where(eq(staffUsers.id, staffId));
    return row?.enc ? this.cipher.decrypt(row.enc, staffPhoneContext(staffId)) : undefined;
  }
}
