import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { StaffCsrf } from './staff-csrf';
import { STAFF_ACCESS, type StaffAccess, type StaffRequest } from './staff-access';
import { StaffSessionsRepository } from './staff-sessions.repository';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate of every staff route, in this order: the route must declare who may use it (a route
 * without a rule is refused to all), the session must be live (401), the role must be allowed (403),
 * and a state-changing request must carry a valid CSRF token (403).
 */
@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<StaffAccess | undefined>(STAFF_ACCESS, [ctx.getHandler(), ctx.getClass()]);
    const req = ctx.switchToHttp().getRequest<StaffRequest>();
    if (access === undefined) throw new ForbiddenException('this route has no access rule');
    if (access !== 'public') {
      const staff = await this.sessions.resolve(req.cookies?.[this.csrf.cookies.session]);
      if (!staff) throw new UnauthorizedException('sign in first');
      if (!access.includes(staff.role)) throw new ForbiddenException('your role does not allow this');
      req.staff = staff;
    }
    if (!SAFE_METHODS.has(req.method) && !this.csrf.valid(req)) throw new ForbiddenException('invalid or missing CSRF token');
    return true;
  }
}
