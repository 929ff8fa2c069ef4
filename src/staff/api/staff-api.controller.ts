import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { AuditLogRepository } from '../audit-log.repository';
import { Allow, ADMINS, ANY_STAFF, CurrentStaff, EVERY_ACCOUNT, Public, SUPERVISORS, type StaffRequest } from '../staff-access';
import { StaffAccountsService } from '../staff-accounts.service';
import { StaffAuthService } from '../staff-auth.service';
import { staffCookieOptions } from '../staff-cookies';
import { StaffCsrf } from '../staff-csrf';
import { clientAddress, formList, formString, noStore } from '../staff-http';
import { retryAfterOnLimit } from '../reveal-limiter';
import { StaffQueueService } from '../staff-queue.service';
import { StaffRequestsService } from '../staff-requests.service';
import { StaffSessionsRepository } from '../staff-sessions.repository';
import { StaffStatsService } from '../staff-stats.service';
import { StaffGuard } from '../staff.guard';
import type { StaffRole, StaffUser } from '../staff.types';
import { sessionOrigin } from '../session-origin';
import { pageAfterSignIn } from '../sign-in-stage';
import { StaffSecondFactorService } from '../staff-second-factor.service';
import { OPENAPI_DOCUMENT } from './openapi.document';

type Json = Record<string, unknown>;

/**
 * The JSON staff API: the dashboard's operations for other clients, same roles, same audit. A session
 * is the same cookie as the pages; state-changing calls carry `X-CSRF-Token` (from GET /session).
 * Documented at /staff/api/openapi.json.
 */
@Controller('staff/api')
@UseGuards(StaffGuard)
export class StaffApiController {
  constructor(
    @Inject(StaffAuthService) private readonly auth: StaffAuthService,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(StaffQueueService) private readonly queue: StaffQueueService,
    @Inject(StaffRequestsService) private readonly requests: StaffRequestsService,
    @Inject(StaffStatsService) private readonly stats: StaffStatsService,
    @Inject(StaffAccountsService) private readonly accounts: StaffAccountsService,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(StaffSecondFactorService) private readonly factors: StaffSecondFactorService,
  ) {}

  @Get('openapi.json')
  @Public()
  openapi(): object {
    return OPENAPI_DOCUMENT;
  }

  @Get('session')
  @Public()
  async session(@Req() req: StaffRequest, @Res({ passthrough: true }) res: Response): Promise<Json> {
    noStore(res);
    const staff = await this.sessions.resolve(req.cookies?.[this.csrf.cookies.session]);
    return { staff: staff ? publicStaff(staff) : null, csrfToken: this.csrf.token(req, res) };
  }

  @Post('session')
  @Public()
  @HttpCode(200)
  async login(@Body() body: Json, @Req() req: StaffRequest, @Res({ passthrough: true }) res: Response): Promise<Json> {
    const code = typeof body.code === 'string' && body.code.trim() ? body.code : undefined;
    const result = await this.auth.login(formString(body.email).slice(0, 254), formString(body.password).slice(0, 256), {
      address: clientAddress(req),
      origin: sessionOrigin(req),
      code,
      codeStep: 'required',
    });
    if (result.kind === 'limited') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      res.status(429);
      return { statusCode: 429, message: 'too many failed logins: wait and retry', retryAfterSeconds: result.retryAfterSeconds };
    }
    if (result.kind === 'code_required') {
      res.status(401);
      return { statusCode: 401, message: 'this account signs in with a second factor: send its code in `code`', secondFactor: 'required' };
    }
    if (result.kind === 'invalid') {
      throw new UnauthorizedException(result.reason === 'code' ? 'wrong or already used code' : 'wrong e-mail or password');
    }
    const options = staffCookieOptions(this.config);
    res.cookie(this.csrf.cookies.session, result.token, options);
    res.clearCookie(this.csrf.cookies.pre, options);
    req.cookies[this.csrf.cookies.session] = result.token; // the new token is bound to the new session
    // `stage` other than `full`: the session only reaches that page until it is done (docs/staff-roles.md)
    return { staff: publicStaff(result.staff), csrfToken: this.csrf.token(req, res, true), stage: result.stage, next: pageAfterSignIn(result.stage, result.staff.role) };
  }

  @Delete('session')
  @Allow(EVERY_ACCOUNT)
  @HttpCode(204)
  async logout(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(req.cookies[this.csrf.cookies.session], staff);
    res.clearCookie(this.csrf.cookies.session, staffCookieOptions(this.config));
  }

  @Get('queue')
  @Allow(ANY_STAFF)
  async list(@CurrentStaff() staff: StaffUser, @Res({ passthrough: true }) res: Response): Promise<Json> {
    noStore(res);
    return { items: await this.queue.list(staff) };
  }

  @Post('queue/take-next')
  @Allow(ANY_STAFF)
  @HttpCode(200)
  async takeNext(@CurrentStaff() staff: StaffUser): Promise<Json> {
    const result = await this.queue.takeNext(staff);
    return { result: result.kind, request: result.kind === 'empty' ? null : this.queue.item(result.request) };
  }

  @Get('requests/:id')
  @Allow(ANY_STAFF)
  async get(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<Json> {
    const req = await this.requests.get(id, staff);
    noStore(res);
    return { request: this.queue.item(req), history: await this.requests.history(id) };
  }

  @Post('requests/:id/claim')
  @Allow(ANY_STAFF)
  @HttpCode(200)
  async claim(@CurrentStaff() staff: StaffUser, @Param('id') id: string): Promise<Json> {
    return { request: this.queue.item(await this.requests.claim(id, staff)) };
  }

  @Post('requests/:id/release')
  @Allow(ANY_STAFF)
  @HttpCode(200)
  async release(@CurrentStaff() staff: StaffUser, @Param('id') id: string): Promise<Json> {
    return { request: this.queue.item(await this.requests.release(id, staff)) };
  }

  @Post('requests/:id/reveal')
  @Allow(ANY_STAFF)
  @HttpCode(200)
  async reveal(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<Json> {
    const { number } = await retryAfterOnLimit(res, this.requests.reveal(id, staff));
    noStore(res);
    return { number, hideAfterSeconds: Math.round(this.config.staff.revealMs / 1000) };
  }

  @Post('requests/:id/outcome')
  @Allow(ANY_STAFF)
  @HttpCode(200)
  async outcome(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Json): Promise<Json> {
    const { request, smsQueued } = await this.requests.recordOutcome(id, staff, {
      outcome: formString(body.outcome),
      note: formString(body.note),
      partOfDay: formString(body.partOfDay),
      days: formString(body.days),
    });
    return { request: this.queue.item(request), smsQueued };
  }

  @Post('requests/:id/reassign')
  @Allow(SUPERVISORS)
  @HttpCode(200)
  async reassign(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Json): Promise<Json> {
    return { request: this.queue.item(await this.requests.reassign(id, formString(body.to), staff)) };
  }

  @Get('stats')
  @Allow(SUPERVISORS)
  stats_(): Promise<object> {
    return this.stats.summary();
  }

  @Get('audit')
  @Allow(SUPERVISORS)
  async auditLog(@Req() req: Request): Promise<Json> {
    const limit = Math.min(500, Math.max(1, Number(req.query.limit ?? 100) || 100));
    const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
    return { entries: await this.audit.latest(limit, offset) };
  }

  @Get('users')
  @Allow(ADMINS)
  async users(): Promise<Json> {
    return { users: (await this.accounts.list()).map(publicStaff), languages: this.accounts.languages() };
  }

  @Post('users')
  @Allow(ADMINS)
  async createUser(@CurrentStaff() staff: StaffUser, @Body() body: Json): Promise<Json> {
    const user = await this.accounts.create(staff, {
      email: formString(body.email),
      displayName: formString(body.displayName),
      password: formString(body.password),
      role: formString(body.role) as StaffRole,
      languages: formList(body.languages),
    });
    return { user: publicStaff(user) };
  }

  @Patch('users/:id')
  @Allow(ADMINS)
  async updateUser(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Json): Promise<Json> {
    const user = await this.accounts.update(staff, id, {
      ...(typeof body.displayName === 'string' ? { displayName: body.displayName } : {}),
      ...(typeof body.role === 'string' ? { role: body.role as StaffRole } : {}),
      ...(Array.isArray(body.languages) ? { languages: formList(body.languages) } : {}),
      ...(typeof body.active === 'boolean' ? { active: body.active } : {}),
      ...(typeof body.password === 'string' ? { password: body.password } : {}),
    });
    return { user: publicStaff(user) };
  }

  @Get('account/sessions')
  @Allow(EVERY_ACCOUNT)
  async mySessions(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest): Promise<Json> {
    const current = req.staffSession!.id;
    return { sessions: (await this.sessions.listFor(staff.id)).map((s) => ({ ...s, current: s.id === current })) };
  }

  @Delete('account/sessions/:id')
  @Allow(EVERY_ACCOUNT)
  @HttpCode(204)
  async endMySession(@CurrentStaff() staff: StaffUser, @Param('id') sessionId: string): Promise<void> {
    if (!(await this.sessions.end(staff.id, sessionId))) throw new NotFoundException('no such session of yours');
    await this.audit.record({ staffId: staff.id, action: 'session_ended', detail: { session: sessionId } });
  }

  @Post('users/:id/second-factor/reset')
  @Allow(ADMINS)
  @HttpCode(204)
  async resetSecondFactor(@CurrentStaff() staff: StaffUser, @Param('id') id: string): Promise<void> {
    await this.factors.adminReset(staff, id);
  }

  @Delete('users/:id/sessions')
  @Allow(ADMINS)
  async endSessions(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Req() req: StaffRequest): Promise<Json> {
    return { ended: await this.factors.adminEndSessions(staff, id, req.staffSession!.tokenHash) };
  }
}

function publicStaff(u: StaffUser): Json {
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role, languages: u.languages, active: u.active, secondFactor: u.secondFactorEnabled };
}
