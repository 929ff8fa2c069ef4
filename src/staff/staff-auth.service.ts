import { Inject, Injectable } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';
import { LoginLimiter } from './login-limiter';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { StaffUsersRepository } from './staff-users.repository';
import type { StaffUser } from './staff.types';

export type LoginResult =
  | { kind: 'ok'; token: string; staff: StaffUser }
  | { kind: 'invalid' }
  | { kind: 'limited'; retryAfterSeconds: number };

/** Login and logout: rate limits first, then the password, then a new session; every outcome audited. */
@Injectable()
export class StaffAuthService {
  constructor(
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(LoginLimiter) private readonly limiter: LoginLimiter,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  async login(email: string, password: string, clientAddress: string): Promise<LoginResult> {
    const limit = await this.limiter.check(email, clientAddress);
    if (limit.limited) return { kind: 'limited', retryAfterSeconds: limit.retryAfterSeconds };
    const staff = await this.users.authenticate(email, password);
    if (!staff) {
      await this.limiter.failed(email, clientAddress);
      const known = await this.users.findByEmail(email);
      await this.audit.record({ staffId: known?.id ?? null, action: 'login_failed' });
      return { kind: 'invalid' };
    }
    await this.limiter.succeeded(email);
    const token = await this.sessions.open(staff.id);
    await this.audit.record({ staffId: staff.id, action: 'login' });
    return { kind: 'ok', token, staff };
  }

  async logout(token: string | undefined, staff: StaffUser): Promise<void> {
    await this.sessions.close(token);
    await this.audit.record({ staffId: staff.id, action: 'logout' });
  }
}
