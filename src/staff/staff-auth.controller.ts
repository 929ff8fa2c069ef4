import { Body, Controller, Get, Header, HttpCode, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { Allow, ANY_STAFF, CurrentStaff, Public, type StaffRequest } from './staff-access';
import { StaffAuthService } from './staff-auth.service';
import { staffCookieOptions } from './staff-cookies';
import { StaffCsrf } from './staff-csrf';
import { clientAddress, formString } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { StaffGuard } from './staff.guard';
import type { StaffUser } from './staff.types';
import { staffCss } from './views/staff.stylesheet';
import { loginPage } from './views/login.view';

/** Login, logout and the stylesheet: the public edge of the dashboard. */
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
    const result = await this.auth.login(email, formString(body.password).slice(0, 256), clientAddress(req));
    if (result.kind === 'ok') {
      res.cookie(this.csrf.cookies.session, result.token, staffCookieOptions(this.config));
      res.clearCookie(this.csrf.cookies.pre, staffCookieOptions(this.config));
      res.redirect(303, '/staff/queue');
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

  @Post('logout')
  @Allow(ANY_STAFF)
  async logout(@CurrentStaff() staff: StaffUser, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    await this.auth.logout(req.cookies[this.csrf.cookies.session], staff);
    res.clearCookie(this.csrf.cookies.session, staffCookieOptions(this.config));
    res.clearCookie(this.csrf.cookies.csrf, staffCookieOptions(this.config));
    res.redirect(303, '/staff/login');
  }
}
