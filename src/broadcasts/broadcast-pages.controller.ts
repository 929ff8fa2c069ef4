import { Body, Controller, Get, Inject, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { Allow, CurrentStaff, SUPERVISORS } from '../staff/staff-access';
import { StaffCsrf } from '../staff/staff-csrf';
import { formList, formString, noStore } from '../staff/staff-http';
import { StaffPageFilter } from '../staff/staff-page.filter';
import { StaffGuard } from '../staff/staff.guard';
import type { StaffUser } from '../staff/staff.types';
import { broadcastPage, broadcastsPage } from './broadcast.view';
import { BroadcastsService } from './broadcasts.service';

/** The same broadcasts as the API, as pages with forms (no script): draft, preview, approve, cancel, report. */
@Controller('staff/broadcasts')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class BroadcastPagesController {
  constructor(
    @Inject(BroadcastsService) private readonly broadcasts: BroadcastsService,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CONTENT) private readonly content: LoadedContent,
  ) {}

  @Get()
  @Allow(SUPERVISORS)
  async list(@CurrentStaff() staff: StaffUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const rows = await this.broadcasts.list();
    noStore(res);
    res.type('html').send(broadcastsPage({ staff, csrf: this.csrf.token(req, res), rows, languages: this.content.languages.map((l) => l.code), base: this.content.base }));
  }

  @Post()
  @Allow(SUPERVISORS)
  async create(@CurrentStaff() staff: StaffUser, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const texts = (prefix: string) =>
      Object.fromEntries(this.content.languages.map((l) => [l.code, formString(body[`${prefix}_${l.code}`]).trim()]).filter(([, t]) => t));
    const sendAt = formString(body.sendAt);
    const row = await this.broadcasts.draft(staff, {
      topic: formString(body.topic),
      notice: texts('notice'),
      news: texts('news'),
      source: formString(body.source),
      // datetime-local has no zone: Bamako's time is UTC
      sendAt: sendAt ? `${sendAt}:00Z` : null,
    });
    res.redirect(303, `/staff/broadcasts/${row.id}`);
  }

  @Get(':id')
  @Allow(SUPERVISORS)
  async show(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const view = await this.broadcasts.view(id);
    noStore(res);
    res.type('html').send(broadcastPage({ staff, csrf: this.csrf.token(req, res), view }));
  }

  @Post(':id/approve')
  @Allow(SUPERVISORS)
  async approve(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.broadcasts.approve(staff, id, { confirm: formString(body.confirm), newsReviewed: formList(body.newsReviewed) });
    res.redirect(303, `/staff/broadcasts/${id}`);
  }

  @Post(':id/cancel')
  @Allow(SUPERVISORS)
  async cancel(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.broadcasts.cancel(staff, id);
    res.redirect(303, `/staff/broadcasts/${id}`);
  }
}
