import { BadRequestException, Body, Controller, HttpCode, Inject, Param, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuditLogRepository } from './audit-log.repository';
import { Allow, ANY_STAFF, CurrentStaff } from './staff-access';
import { StaffCallsService } from './staff-calls.service';
import { formString } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { checkStaffPhone } from './staff-phone';
import { StaffPhoneRepository } from './staff-phone.repository';
import { StaffGuard } from './staff.guard';
import { StaffInputError, type StaffUser } from './staff.types';

/**
 * Calls through Sira: the holder's "Appeler via Sira" on a request, and each caller's own phone (the one
 * that rings first) on her account page. Forms post (CSRF, as every staff POST) and redirect.
 */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffCallController {
  constructor(
    @Inject(StaffCallsService) private readonly calls: StaffCallsService,
    @Inject(StaffPhoneRepository) private readonly phones: StaffPhoneRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
  ) {}

  @Post('requests/:id/call')
  @Allow(ANY_STAFF)
  async call(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.calls.start(id, staff);
    res.redirect(303, `/staff/requests/${id}?m=calling`);
  }

  /** Her own phone, E.164 (libphonenumber-js); an empty field removes it. The number is never echoed back. */
  @Post('account/phone')
  @Allow(ANY_STAFF)
  async phone(@CurrentStaff() staff: StaffUser, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const typed = formString(body.phone).trim();
    let phone: string | null = null;
    try {
      phone = typed ? checkStaffPhone(typed) : null;
    } catch (err) {
      if (err instanceof StaffInputError) throw new BadRequestException(err.message);
      throw err;
    }
    await this.phones.set(staff.id, phone);
    await this.audit.record({ staffId: staff.id, action: 'phone_changed', detail: { set: phone !== null } });
    res.redirect(303, `/staff/account?m=${phone ? 'phone_saved' : 'phone_removed'}`);
  }
}

/** The same call for API clients (`X-CSRF-Token`): 200 once the provider rings the caller's own phone. */
@Controller('staff/api')
@UseGuards(StaffGuard)
export class StaffCallApiController {
  constructor(@Inject(StaffCallsService) private readonly calls: StaffCallsService) {}

  @Post('requests/:id/call')
  @Allow(ANY_STAFF)
  @HttpCode(200)
  async call(@CurrentStaff() staff: StaffUser, @Param('id') id: string): Promise<{ calling: true }> {
    await this.calls.start(id, staff);
    return { calling: true };
  }
}
