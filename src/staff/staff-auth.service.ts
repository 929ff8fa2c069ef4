import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { AuditLogRepository } from './audit-log.repository';
import { LoginLimiter, type LoginLimit } from './login-limiter';
import { checkTotp, isRecoveryCodeShape } from './second-factor';
import { stageAfterCode, type SignInStage } from './sign-in-stage';
import { StaffSecondFactorRepository } from './staff-second-factor.repository';
import { StaffSessionsRepository, type SessionOrigin } from './staff-sessions.repository';
import { StaffUsersRepository } from './staff-users.repository';
import type { StaffUser } from './staff.types';

export type LoginResult =
  | { kind: 'ok'; token: string; staff: StaffUser; stage: SignInStage }
  /** the password was right and the account has a second factor, but no code came (the API's one-call sign-in). */
  | { kind: 'code_required' }
  | { kind: 'invalid'; reason: 'password' | 'code' }
  | { kind: 'limited'; retryAfterSeconds: number };

/** What a sign-in attempt carries besides the e-mail and password. */
export interface LoginAttempt {
  address: string;
  origin?: SessionOrigin;
  /**
   * The second-factor code sent with the password (API). Undefined: an enrolled account gets a session
   * that only reaches the code page (pages ask for it next); for the API, `codeStep: 'required'`.
   */
  code?: string;
  codeStep?: 'later' | 'required';
}

/**
 * Sign-in: the attempt is counted first (atomically, per account-and-address and per address), then the
 * password, then the second factor, then a session at the stage sign-in reached. Every outcome audited.
 */
@Injectable()
export class StaffAuthService {
  constructor(
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(StaffSecondFactorRepository) private readonly secondFactors: StaffSecondFactorRepository,
    @Inject(LoginLimiter) private readonly limiter: LoginLimiter,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async login(email: string, password: string, attempt: LoginAttempt): Promise<LoginResult> {
    const limit = await this.limiter.reserve(email, attempt.address);
    if (limit.limited) return limitedResult(limit);
    const staff = await this.users.authenticate(email, password);
    if (!staff) {
      const known = await this.users.findByEmail(email);
      await this.audit.record({ staffId: known?.id ?? null, action: 'login_failed' });
      return { kind: 'invalid', reason: 'password' };
    }
    if (staff.secondFactorEnabled) {
      if (attempt.code === undefined && attempt.codeStep !== 'required') {
        // the code page is next; the attempt stays counted until the code is right
        return { kind: 'ok', staff, stage: 'code', token: await this.sessions.open(staff.id, 'code', attempt.origin) };
      }
      if (attempt.code === undefined) return { kind: 'code_required' };
      if (!(await this.checkCode(staff, attempt.code))) return { kind: 'invalid', reason: 'code' };
    }
    return this.signedIn(staff, attempt.address, attempt.origin);
  }

  /** The code page: the second factor of a session that gave its password. */
  async completeWithCode(token: string, staff: StaffUser, code: string, address: string): Promise<LoginResult> {
    const limit = await this.limiter.reserve(staff.email, address);
    if (limit.limited) return limitedResult(limit);
    if (!(await this.checkCode(staff, code))) return { kind: 'invalid', reason: 'code' };
    await this.limiter.succeeded(staff.email, address);
    const stage = stageAfterCode(staff, this.config.staff.twoFactorRequiredRoles);
    const next = await this.sessions.advance(token, stage);
    if (!next) return { kind: 'invalid', reason: 'code' };
    await this.audit.record({ staffId: staff.id, action: 'login', detail: { second_factor: true, stage } });
    return { kind: 'ok', token: next, staff, stage };
  }

  /**
   * A TOTP code (±1 step, each step accepted once) or an unused recovery code. A failure is audited;
   * the caller has already counted the attempt with the sign-in limits.
   */
  async checkCode(staff: StaffUser, code: string): Promise<boolean> {
    const input = code.trim().slice(0, 40);
    if (isRecoveryCodeShape(input)) {
      const used = await this.secondFactors.useRecoveryCode(staff.id, input);
      if (used) {
        const left = await this.secondFactors.unusedRecoveryCodes(staff.id);
        await this.audit.record({ staffId: staff.id, action: 'recovery_code_used', detail: { left } });
        return true;
      }
    } else {
      const totp = await this.secondFactors.totpOf(staff.id);
      const check = totp ? await checkTotp(totp.secret, input, this.clock.now(), totp.lastStep) : { valid: false as const };
      if (check.valid && (await this.secondFactors.acceptStep(staff.id, check.step))) return true;
    }
    await this.audit.record({ staffId: staff.id, action: 'second_factor_failed' });
    return false;
  }

  async logout(token: string | undefined, staff: StaffUser): Promise<void> {
    await this.sessions.close(token);
    await this.audit.record({ staffId: staff.id, action: 'logout' });
  }

  private async signedIn(staff: StaffUser, address: string, origin?: SessionOrigin): Promise<LoginResult> {
    await this.limiter.succeeded(staff.email, address);
    const stage = stageAfterCode(staff, this.config.staff.twoFactorRequiredRoles);
    const token = await this.sessions.open(staff.id, stage, origin);
    await this.audit.record({ staffId: staff.id, action: 'login', detail: { second_factor: staff.secondFactorEnabled, stage } });
    return { kind: 'ok', token, staff, stage };
  }
}

function limitedResult(limit: Extract<LoginLimit, { limited: true }>): LoginResult {
  return { kind: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
}
