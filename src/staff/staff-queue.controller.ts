import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CALLBACK_SETTINGS, type CallbackSettings } from '../callbacks';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { Allow, ANY_STAFF, CurrentStaff, SUPERVISORS } from './staff-access';
import { StaffCsrf } from './staff-csrf';
import { formString, noStore } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { retryAfterOnLimit } from './reveal-limiter';
import { StaffCallsService } from './staff-calls.service';
import { StaffQueueService } from './staff-queue.service';
import { StaffRequestsService } from './staff-requests.service';
import { StaffUsersRepository } from './staff-users.repository';
import { StaffGuard } from './staff.guard';
import type { StaffUser } from './staff.types';
import { queuePage } from './views/queue.view';
import { requestPage, revealPage } from './views/request.view';

/** The queue and request pages: what agents use all day. Every form posts and redirects (PRG). */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffQueueController {
  constructor(
    @Inject(StaffQueueService) private readonly queue: StaffQueueService,
    @Inject(StaffRequestsService) private readonly requests: StaffRequestsService,
    @Inject(StaffCallsService) private readonly calls: StaffCallsService,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get('queue')
  @Allow(ANY_STAFF)
  async queuePage(@CurrentStaff() staff: StaffUser, @Query('m') m: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const [items, names] = await Promise.all([this.queue.list(staff), this.users.names()]);
    noStore(res);
    res.type('html').send(queuePage({ staff, csrf: this.csrf.token(req, res), items, names, notice: m }));
  }

  @Post('queue/take-next')
  @Allow(ANY_STAFF)
  async takeNext(@CurrentStaff() staff: StaffUser, @Res() res: Response): Promise<void> {
    const result = await this.queue.takeNext(staff);
    if (result.kind === 'empty') return res.redirect(303, '/staff/queue?m=empty');
    res.redirect(303, `/staff/requests/${result.request.id}?m=${result.kind === 'claimed' ? 'claimed' : 'holding'}`);
  }

  @Get('requests/:id')
  @Allow(ANY_STAFF)
  async requestPage(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Query('m') m: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const request = await this.requests.get(id, staff);
    const [history, colleagues, calls] = await Promise.all([this.requests.history(id), this.users.list(), this.calls.panel(request, staff)]);
    const names = new Map(colleagues.map((u) => [u.id, u.displayName]));
    noStore(res);
    res.type('html').send(
      requestPage({ staff, csrf: this.csrf.token(req, res), request, item: this.queue.item(request), history, names, colleagues, maxAttempts: this.settings.maxAttempts, notice: m, calls }),
    );
  }

  @Post('requests/:id/claim')
  @Allow(ANY_STAFF)
  async claim(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.requests.claim(id, staff);
    res.redirect(303, `/staff/requests/${id}?m=claimed`);
  }

  @Post('requests/:id/release')
  @Allow(ANY_STAFF)
  async release(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.requests.release(id, staff);
    res.redirect(303, '/staff/queue?m=released');
  }

  /** A POST answered with the page itself (not a redirect): the number is never at a URL, never cached. */
  @Post('requests/:id/reveal')
  @Allow(ANY_STAFF)
  async reveal(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { request, number } = await retryAfterOnLimit(res, this.requests.reveal(id, staff));
    noStore(res);
    const seconds = Math.round(this.config.staff.revealMs / 1000);
    res.status(200).type('html').send(revealPage({ staff, csrf: this.csrf.token(req, res), request, number, seconds }));
  }

  @Post('requests/:id/outcome')
  @Allow(ANY_STAFF)
  async outcome(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const { request, smsQueued } = await this.requests.recordOutcome(id, staff, {
      outcome: formString(body.outcome),
      note: formString(body.note),
      partOfDay: formString(body.partOfDay),
      days: formString(body.days),
    });
    res.redirect(303, `/staff/requests/${request.id}?m=${smsQueued ? 'recorded_sms' : 'recorded'}`);
  }

  @Post('requests/:id/reassign')
  @Allow(SUPERVISORS)
  async reassign(@CurrentStaff() staff: StaffUser, @Param('id') id: string, @Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    await this.requests.reassign(id, formString(body.to), staff);
    res.redirect(303, `/staff/requests/${id}?m=reassigned`);
  }
}
