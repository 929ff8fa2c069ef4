import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { PasswordHasher } from './password.hasher';
import { normaliseRecoveryCode, totpContext } from './second-factor';
import { staffRecoveryCodes, staffSessions, staffUsers } from './staff.schema';


/**
 * Second factors in PostgreSQL: the TOTP secret under the address cipher (so key rotation re-encrypts
 * it with the rest), the last accepted time step, and recovery codes as argon2id hashes.
 */
@Injectable()
export class StaffSecondFactorRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The account's TOTP secret and last accepted step, or undefined when it has not enrolled. */
  async totpOf(userId: string): Promise<{ secret: string; lastStep: number | null } | undefined> {
    const [row] = await this.db
      .select({ enc: staffUsers.totpSecretEnc, lastStep: staffUsers.totpLastStep })
      .from(staffUsers)
      .where(eq(staffUsers.id, userId));
    if (!row?.enc) return undefined;
    return { secret: this.cipher.decrypt(row.enc, totpContext(userId)), lastStep: row.lastStep };
  }

  /**
   * Records `step` as used if no later or equal step was: true once per step even when two requests
   * race with the same code (the update is conditional in the database).
   */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    const updated = await this.db
      .update(staffUsers)
      .set({ totpLastStep: step })
      .where(and(eq(staffUsers.id, userId), or(isNull(staffUsers.totpLastStep), lt(staffUsers.totpLastStep, step))))
      .returning({ id: staffUsers.id });
    return updated.length === 1;
  }

  /** Enrols (or replaces) the account's second factor and its recovery codes, in one transaction. */
  async enrol(userId: string, secret: string, step: number, recoveryCodes: string[]): Promise<void> {
    const { token, kid } = this.cipher.encrypt(secret, totpContext(userId));
    const hashes = await Promise.all(recoveryCodes.map((c) => this.hasher.hash(c)));
    const now = new Date(this.clock.now());
    await this.db.transaction(async (tx) => {
      await tx
        .update(staffUsers)
        .set({ totpSecretEnc: token, totpSecretKeyId: kid, totpEnabledAt: now, totpLastStep: step, updatedAt: now })
        .where(eq(staffUsers.id, userId));
      await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, userId));
      await tx.insert(staffRecoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash })));
    });
  }

  /** Removes the second factor and its codes, and ends every session of the account (an admin's reset). */
  async reset(userId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = await tx
        .update(staffUsers)
        .set({ totpSecretEnc: null, totpSecretKeyId: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date(this.clock.now()) })
        .where(eq(staffUsers.id, userId))
        .returning({ id: staffUsers.id });
      await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, userId));
      await tx.delete(staffSessions).where(eq(staffSessions.userId, userId));
      return updated.length === 1;
    });
  }

  /** Uses one unused recovery code matching `input`: true once per code, whatever races it. */
  async useRecoveryCode(userId: string, input: string): Promise<boolean> {
    const code = normaliseRecoveryCode(input);
    if (!code) return false;
    const unused = await this.db
      .select({ id: staffRecoveryCodes.id, hash: staffRecoveryCodes.codeHash })
      .from(staffRecoveryCodes)
      .where(and(eq(staffRecoveryCodes.userId, userId), isNull(staffRecoveryCodes.usedAt)));
    for (const row of unused) {
      if (!(await this.hasher.verify(row.hash, code))) continue;
      const used = await this.db
        .update(staffRecoveryCodes)
        .set({ usedAt: new Date(this.clock.now()) })
        .where(and(eq(staffRecoveryCodes.id, row.id), isNull(staffRecoveryCodes.usedAt)))
        .returning({ id: staffRecoveryCodes.id });
      return used.length === 1;
    }
    return false;
  }

  async unusedRecoveryCodes(userId: string): Promise<number> {
    const rows = await this.db
      .select({ id: staffRecoveryCodes.id })
      .from(staffRecoveryCodes)
      .where(and(eq(staffRecoveryCodes.userId, userId), isNull(staffRecoveryCodes.usedAt)));
    return rows.length;
  }
}
