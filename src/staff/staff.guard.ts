import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { StaffCsrf } from './staff-csrf';
import { STAFF_ACCESS, STAFF_STAGES, type StaffAccess, type StaffRequest } from './staff-access';
import { SignInIncompleteException, type SignInStage } from './sign-in-stage';
import { StaffSessionsRepository } from './staff-sessions.repository';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one gate of every staff route, in this order: the route must declare who may use it (a route
 * without a rule is refused to all), the session must be live (401), sign-in must be finished (a code,
 * a new password or an enrolment still owed: 403, pages sent on), the role must be allowed (403),
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
      const live = await this.sessions.resolveSession(req.cookies?.[this.csrf.cookies.session]);
      if (!live) throw new UnauthorizedException('sign in first');
      const stages = this.reflector.getAllAndOverride<SignInStage[] | undefined>(STAFF_STAGES, [ctx.getHandler(), ctx.getClass()]) ?? ['full'];
      if (!stages.includes(live.stage)) throw new SignInIncompleteException(live.stage);
      // known before the role check, so a refusal page can offer her own first page as the way back
      req.staff = live.staff;
      req.staffSession = live;
      if (!access.includes(live.staff.role)) throw new ForbiddenException('your role does not allow this');
    }
    if (!SAFE_METHODS.has(req.method) && !this.csrf.valid(req)) throw new ForbiddenException('invalid or missing CSRF token');
    return true;
  }
}
