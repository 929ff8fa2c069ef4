import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { AuditLogRepository } from './audit-log.repository';
import { AlsoAt, Allow, EVERY_ACCOUNT, CurrentStaff, isCaller, type StaffRequest } from './staff-access';
import { StaffAccountsService } from './staff-accounts.service';
import { staffCookieOptions } from './staff-cookies';
import { StaffCsrf } from './staff-csrf';
import { clientAddress, formString, noStore } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { StaffSecondFactorService, TooManyAttemptsError } from './staff-second-factor.service';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { maskedPhone } from './staff-phone';
import { StaffPhoneRepository } from './staff-phone.repository';
import { StaffGuard } from './staff.guard';
import type { StaffUser } from './staff.types';
import { stageAfterCode, STAGE_PAGES } from './sign-in-stage';
import { accountPage, enrolPage, passwordPage, recoveryCodesPage } from './views/account.view';

/** Every account's own page: its second factor, its password, its open sessions. */
@Controller('staff/account')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffAccountController {
  constructor(
    @Inject(StaffSecondFactorService) private readonly factors: StaffSecondFactorService,
    @Inject(StaffAccountsService) private readonly accounts: StaffAccountsService,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(StaffPhoneRepository) private readonly phones: StaffPhoneRepository,
  ) {}

  @Get()
  @Allow(EVERY_ACCOUNT)
  async overview(@CurrentStaff() staff: StaffUser, @Query('m') m: string | undefined, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    noStore(res);
    const phone = isCaller(staff) ? await this.phones.get(staff.id) : undefined;
    res.type('html').send(
      accountPage({
        phone: isCaller(staff) ? { masked: phone ? maskedPhone(phone) : undefined } : undefined,
        staff,
        csrf: this.csrf.token(req, res),
        sessions: await this.sessions.listFor(staff.id),
        currentSessionId: req.staffSession!.id,
        recoveryCodesLeft: await this.factors.recoveryCodesLeft(staff),
        secondFactorRequired: this.config.staff.twoFactorRequiredRoles.includes(staff.role),
        notice: m,
      }),
    );
  }

  @Get('second-factor')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('enrol')
  async enrolForm(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    await this.renderEnrol(staff, req, res, await this.factors.offer(staff));
  }

  @Post('second-factor')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('enrol')
  @HttpCode(200)
  async enrol(@CurrentStaff() staff: StaffUser, @Body() body: Record<string, unknown>, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    const sealed = formString(body.sealed);
    let codes: string[];
    try {
      codes = await this.factors.confirm(staff, sealed, formString(body.code), formString(body.current), clientAddress(req));
    } catch (err) {
      if (err instanceof TooManyAttemptsError) res.status(429).setHeader('Retry-After', String(err.retryAfterSeconds));
      else if (err instanceof BadRequestException) res.status(400);
      else throw err;
      const offer = (await this.factors.reoffer(staff, sealed)) ?? (await this.factors.offer(staff));
      const problem = err instanceof TooManyAttemptsError ? `Trop d’essais. Réessayez dans ${Math.ceil(err.retryAfterSeconds / 60)} min.` : err.message;
      return this.renderEnrol(staff, req, res, offer, problem);
    }
    const advanced = req.staffSession!.stage !== 'full';
    if (advanced) await this.advance(req, res, 'full');
    noStore(res);
    // a new session token needs a new CSRF token; otherwise the page's forms keep theirs
    res.type('html').send(recoveryCodesPage(staff, this.csrf.token(req, res, advanced), codes));
  }

  @Get('password')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('password')
  passwordForm(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res() res: Response): void {
    res.type('html').send(passwordPage(staff, this.csrf.token(req, res), req.staffSession!.stage === 'password'));
  }

  @Post('password')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('password')
  async changePassword(@CurrentStaff() staff: StaffUser, @Body() body: Record<string, unknown>, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    const live = req.staffSession!;
    try {
      await this.accounts.changeOwnPassword(
        staff,
        { current: formString(body.current).slice(0, 256), password: formString(body.password), confirm: formString(body.confirm) },
        live.tokenHash,
      );
    } catch (err) {
      if (!(err instanceof BadRequestException)) throw err;
      res.status(400).type('html').send(passwordPage(staff, this.csrf.token(req, res), live.stage === 'password', err.message));
      return;
    }
    const next = live.stage === 'password' ? stageAfterCode({ ...staff, passwordChangeRequired: false }, this.config.staff.twoFactorRequiredRoles) : 'full';
    if (live.stage !== 'full') await this.advance(req, res, next);
    res.redirect(303, next === 'full' ? '/staff/account?m=password_changed' : STAGE_PAGES[next]);
  }

  @Post('sessions/:id/end')
  @Allow(EVERY_ACCOUNT)
  async endSession(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res() res: Response): Promise<void> {
    if (!(await this.sessions.end(staff.id, id))) throw new NotFoundException('no such session of yours');
    await this.audit.record({ staffId: staff.id, action: 'session_ended', detail: { session: id } });
    res.redirect(303, '/staff/account?m=session_ended');
  }

  /** The session moves on to `stage` under a new token (and the CSRF token follows it). */
  private async advance(req: StaffRequest, res: Response, stage: 'full' | 'enrol' | 'password' | 'code'): Promise<void> {
    const token = await this.sessions.advance(req.cookies[this.csrf.cookies.session] ?? '', stage);
    if (!token) return;
    res.cookie(this.csrf.cookies.session, token, staffCookieOptions(this.config));
    req.cookies[this.csrf.cookies.session] = token;
  }

  private async renderEnrol(staff: StaffUser, req: StaffRequest, res: Response, offer: Awaited<ReturnType<StaffSecondFactorService['offer']>>, problem?: string): Promise<void> {
    noStore(res);
    res.type('html').send(
      enrolPage({
        staff,
        csrf: this.csrf.token(req, res),
        ...offer,
        replacing: staff.secondFactorEnabled,
        required: req.staffSession!.stage === 'enrol',
        problem,
      }),
    );
  }
}
