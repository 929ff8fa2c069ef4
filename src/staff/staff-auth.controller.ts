import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { AlsoAt, Allow, EVERY_ACCOUNT, CurrentStaff, Public, type StaffRequest } from './staff-access';
import { sessionOrigin } from './session-origin';
import { pageAfterSignIn, STAGE_PAGES } from './sign-in-stage';
import { StaffAuthService } from './staff-auth.service';
import { staffCookieOptions } from './staff-cookies';
import { StaffCsrf } from './staff-csrf';
import { clientAddress, formString } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { StaffGuard } from './staff.guard';
import type { StaffUser } from './staff.types';
import { staffCss } from './views/staff.stylesheet';
import { codePage, loginPage } from './views/login.view';

/** Login (password, then the second-factor code), logout and the stylesheet: the public edge of the dashboard. */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffAuthController {
  private readonly css: string;

  constructor(
    @Inject(StaffAuthService) private readonly auth: StaffAuthService,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.css = staffCss(Math.round(config.staff.revealMs / 1000));
  }

  @Get()
  @Public()
  home(@Res() res: Response): void {
    res.redirect(303, '/staff/queue');
  }

  @Get('assets/staff.css')
  @Public()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=86400')
  stylesheet(): string {
    return this.css;
  }

  @Get('login')
  @Public()
  loginForm(@Req() req: Request, @Res() res: Response): void {
    res.type('html').send(loginPage(this.csrf.token(req, res)));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Body() body: Record<string, unknown>, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    const email = formString(body.email).slice(0, 254);
    const result = await this.auth.login(email, formString(body.password).slice(0, 256), { address: clientAddress(req), origin: sessionOrigin(req) });
    if (result.kind === 'ok') {
      res.cookie(this.csrf.cookies.session, result.token, staffCookieOptions(this.config));
      res.clearCookie(this.csrf.cookies.pre, staffCookieOptions(this.config));
      res.redirect(303, pageAfterSignIn(result.stage, result.staff.role));
      return;
    }
    if (result.kind === 'limited') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      const wait = Math.ceil(result.retryAfterSeconds / 60);
      res.status(429).type('html').send(loginPage(this.csrf.token(req, res), `Trop d’essais. Réessayez dans ${wait} min.`, email));
      return;
    }
    res.status(401).type('html').send(loginPage(this.csrf.token(req, res), 'E-mail ou mot de passe incorrect.', email));
  }

  @Get('login/code')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('code')
  codeForm(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res() res: Response): void {
    if (req.staffSession?.stage !== 'code') return res.redirect(303, STAGE_PAGES[req.staffSession?.stage ?? 'full']);
    res.type('html').send(codePage(this.csrf.token(req, res), staff));
  }

  @Post('login/code')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('code')
  @HttpCode(200)
  async code(@CurrentStaff() staff: StaffUser, @Body() body: Record<string, unknown>, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    const token = req.cookies[this.csrf.cookies.session];
    if (req.staffSession?.stage !== 'code' || !token) return res.redirect(303, STAGE_PAGES[req.staffSession?.stage ?? 'full']);
    const result = await this.auth.completeWithCode(token, staff, formString(body.code), clientAddress(req));
    if (result.kind === 'ok') {
      res.cookie(this.csrf.cookies.session, result.token, staffCookieOptions(this.config));
      res.redirect(303, pageAfterSignIn(result.stage, result.staff.role));
      return;
    }
    if (result.kind === 'limited') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      res.status(429).type('html').send(codePage(this.csrf.token(req, res), staff, `Trop d’essais. Réessayez dans ${Math.ceil(result.retryAfterSeconds / 60)} min.`));
      return;
    }
    res.status(401).type('html').send(codePage(this.csrf.token(req, res), staff, 'Code incorrect ou déjà utilisé.'));
  }

  @Post('logout')
  @Allow(EVERY_ACCOUNT)
  @AlsoAt('code', 'password', 'enrol')
  async logout(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    await this.auth.logout(req.cookies[this.csrf.cookies.session], staff);
    res.clearCookie(this.csrf.cookies.session, staffCookieOptions(this.config));
    res.clearCookie(this.csrf.cookies.csrf, staffCookieOptions(this.config));
    res.redirect(303, '/staff/login');
  }
}
