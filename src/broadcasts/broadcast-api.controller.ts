import { Body, Controller, Get, HttpCode, Inject, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { Allow, CurrentStaff, SUPERVISORS } from '../staff/staff-access';
import { formList, formString, noStore } from '../staff/staff-http';
import { StaffGuard } from '../staff/staff.guard';
import type { StaffUser } from '../staff/staff.types';
import { BroadcastsService } from './broadcasts.service';

type Json = Record<string, unknown>;

/**
 * Broadcasts in the staff API: supervisors and admins draft, read (status, preview, report), approve
 * (another one than the drafter) and cancel. Same session, CSRF rule and audit as the rest of the API.
 */
@Controller('staff/api/broadcasts')
@UseGuards(StaffGuard)
export class BroadcastApiController {
  constructor(@Inject(BroadcastsService) private readonly broadcasts: BroadcastsService) {}

  @Post()
  @Allow(SUPERVISORS)
  async create(@CurrentStaff() staff: StaffUser, @Body() body: Json): Promise<Json> {
    const row = await this.broadcasts.draft(staff, body ?? {});
    return { id: row.id, status: row.status };
  }

  @Get(':id')
  @Allow(SUPERVISORS)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<Json> {
    noStore(res);
    return this.broadcasts.view(id);
  }

  @Post(':id/approve')
  @Allow(SUPERVISORS)
  @HttpCode(200)
  async approve(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Json): Promise<Json> {
    const row = await this.broadcasts.approve(staff, id, { confirm: formString(body?.confirm), newsReviewed: formList(body?.newsReviewed) });
    return { id: row.id, status: row.status, selfApproved: row.selfApproved };
  }

  @Post(':id/cancel')
  @Allow(SUPERVISORS)
  @HttpCode(200)
  async cancel(@CurrentStaff() staff: StaffUser, @Param('id') id: string): Promise<Json> {
    const { broadcast, withdrawn } = await this.broadcasts.cancel(staff, id);
    return { id: broadcast.id, status: broadcast.status, withdrawn };
  }
}
