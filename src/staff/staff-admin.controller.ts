import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Allow, ADMINS, CurrentStaff, type StaffRequest } from './staff-access';
import { StaffSecondFactorService } from './staff-second-factor.service';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffCsrf } from './staff-csrf';
import { formList, formString, noStore } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { StaffGuard } from './staff.guard';
import type { StaffRole, StaffUser } from './staff.types';
import { usersPage } from './views/users.view';

/** Admins: staff accounts, roles and call languages; password resets, second-factor resets, ending sessions. */
@Controller('staff/admin')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffAdminController {
  constructor(
    @Inject(StaffAccountsService) private readonly accounts: StaffAccountsService,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(StaffSecondFactorService) private readonly factors: StaffSecondFactorService,
  ) {}

  @Get('users')
  @Allow(ADMINS)
  async list(@CurrentStaff() staff: StaffUser, @Query('m') m: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.render(staff, req, res, { notice: m });
  }

  @Post('users')
  @Allow(ADMINS)
  async create(@CurrentStaff() staff: StaffUser, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      await this.accounts.create(staff, {
        email: formString(body.email),
        displayName: formString(body.displayName),
        password: formString(body.password),
        role: formString(body.role) as StaffRole,
        languages: formList(body.languages),
      });
    } catch (err) {
      if (!(err instanceof BadRequestException)) throw err;
      res.status(400);
      return this.render(staff, req, res, { problem: err.message });
    }
    res.redirect(303, '/staff/admin/users?m=saved');
  }

  @Post('users/:id')
  @Allow(ADMINS)
  async update(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const password = formString(body.password);
    try {
      await this.accounts.update(staff, id, {
        role: formString(body.role) as StaffRole,
        languages: formList(body.languages),
        active: formString(body.active) === 'true',
        ...(password ? { password } : {}),
      });
    } catch (err) {
      if (!(err instanceof BadRequestException) || err instanceof NotFoundException) throw err;
      res.status(400);
      return this.render(staff, req, res, { problem: err.message });
    }
    res.redirect(303, '/staff/admin/users?m=saved');
  }

  @Post('users/:id/second-factor/reset')
  @Allow(ADMINS)
  async resetSecondFactor(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.factors.adminReset(staff, id);
    res.redirect(303, '/staff/admin/users?m=factor_reset');
  }

  @Post('users/:id/sessions/end')
  @Allow(ADMINS)
  async endSessions(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Req() req: StaffRequest, @Res() res: Response): Promise<void> {
    await this.factors.adminEndSessions(staff, id, req.staffSession!.tokenHash);
    res.redirect(303, '/staff/admin/users?m=sessions_ended');
  }

  private async render(staff: StaffUser, req: Request, res: Response, extra: { notice?: string; problem?: string }): Promise<void> {
    noStore(res);
    const users = await this.accounts.list();
    res.type('html').send(usersPage({ staff, csrf: this.csrf.token(req, res), users, languages: this.accounts.languages(), ...extra }));
  }
}
