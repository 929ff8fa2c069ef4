import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher, DecryptionError } from '../crypto/address-cipher';
import { AuditLogRepository } from './audit-log.repository';
import { LoginLimiter } from './login-limiter';
import { checkTotp, newRecoveryCodes, newTotpSecret, qrSvg, totpUri } from './second-factor';
import { StaffAuthService } from './staff-auth.service';
import { StaffSecondFactorRepository } from './staff-second-factor.repository';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { StaffUsersRepository } from './staff-users.repository';
import type { StaffUser } from './staff.types';

/** The context a secret offered for enrolment is sealed with: it only opens for the same account. */
const offerContext = (userId: string) => `staff_users.totp_offer:${userId}`;

export interface EnrolmentOffer {
  secret: string;
  sealed: string;
  qrSvg: string;
}

export class TooManyAttemptsError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many attempts');
  }
}

/**
 * Enrolling, replacing and resetting a second factor. The offered secret travels sealed in the form
 * (AES-GCM bound to the account), so nothing is stored until a code from the app proves it was set up.
 */
@Injectable()
export class StaffSecondFactorService {
  constructor(
    @Inject(StaffSecondFactorRepository) private readonly factors: StaffSecondFactorRepository,
    @Inject(StaffAuthService) private readonly auth: StaffAuthService,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(LoginLimiter) private readonly limiter: LoginLimiter,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async offer(staff: StaffUser): Promise<EnrolmentOffer> {
    const secret = newTotpSecret();
    const { token } = this.cipher.encrypt(secret, offerContext(staff.id));
    return { secret, sealed: token, qrSvg: await qrSvg(totpUri(secret, staff.email)) };
  }

  /** The same offer again (after a wrong code), or undefined when the sealed secret is not this account's. */
  async reoffer(staff: StaffUser, sealed: string): Promise<EnrolmentOffer | undefined> {
    const secret = this.open(staff, sealed);
    return secret ? { secret, sealed, qrSvg: await qrSvg(totpUri(secret, staff.email)) } : undefined;
  }

  /**
   * Enrols the offered secret once `code` (from the app) matches it; replacing an enrolled factor also
   * needs `current` (a code of the current one, or a recovery code). Returns the recovery codes to show once.
   */
  async confirm(staff: StaffUser, sealed: string, code: string, current: string, address: string): Promise<string[]> {
    const secret = this.open(staff, sealed);
    if (!secret) throw new BadRequestException('this enrolment form has expired: start again');
    const limit = await this.limiter.reserve(staff.email, address);
    if (limit.limited) throw new TooManyAttemptsError(limit.retryAfterSeconds);
    if (staff.secondFactorEnabled && !(await this.auth.checkCode(staff, current))) {
      throw new BadRequestException('the code of your current app (or recovery code) is wrong: nothing changed');
    }
    const check = await checkTotp(secret, code, this.clock.now(), null);
    if (!check.valid) throw new BadRequestException('this code does not match: check the time on your phone and try the next code');
    await this.limiter.succeeded(staff.email, address);
    const codes = newRecoveryCodes();
    await this.factors.enrol(staff.id, secret, check.step, codes);
    await this.audit.record({ staffId: staff.id, action: 'second_factor_enrolled', detail: { replaced: staff.secondFactorEnabled } });
    return codes;
  }

  async recoveryCodesLeft(staff: StaffUser): Promise<number> {
    return staff.secondFactorEnabled ? this.factors.unusedRecoveryCodes(staff.id) : 0;
  }

  /** An admin resets another account's second factor (it re-enrols at its next sign-in; its sessions end). */
  async adminReset(admin: StaffUser, userId: string): Promise<void> {
    if (userId === admin.id) {
      throw new ConflictException('you cannot reset your own second factor here: replace it from your account page, with a current code or a recovery code');
    }
    const user = await this.users.findById(userId);
    if (!user || !(await this.factors.reset(userId))) throw new NotFoundException('no such staff account');
    await this.audit.record({ staffId: admin.id, action: 'second_factor_reset', detail: { user: userId } });
  }

  /** An admin ends every session of an account (its own: all but the one making the request). */
  async adminEndSessions(admin: StaffUser, userId: string, currentTokenHash: string): Promise<number> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('no such staff account');
    const ended = await this.sessions.endAll(userId, userId === admin.id ? currentTokenHash : undefined);
    await this.audit.record({ staffId: admin.id, action: 'sessions_ended', detail: { user: userId, count: ended } });
    return ended;
  }

  private open(staff: StaffUser, sealed: string): string | undefined {
    try {
      return this.cipher.decrypt(sealed.slice(0, 500), offerContext(staff.id));
    } catch (err) {
      if (err instanceof DecryptionError) return undefined;
      throw err;
    }
  }
}
