import { Controller, Get, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { CallbackRequestsRepository } from '../callbacks';
import { CLOCK, type Clock } from '../common/clock';
import { AuditLogRepository } from './audit-log.repository';
import { Allow, CurrentStaff, SUPERVISORS } from './staff-access';
import { StaffCsrf } from './staff-csrf';
import { noStore } from './staff-http';
import { StaffPageFilter } from './staff-page.filter';
import { StaffQueueService } from './staff-queue.service';
import { StaffStatsService } from './staff-stats.service';
import { StaffUsersRepository } from './staff-users.repository';
import { StaffGuard } from './staff.guard';
import type { StaffUser } from './staff.types';
import { auditPage, revealAlerts, supervisionPage } from './views/supervision.view';

/** Supervisors: counts and waiting times, the audit log, and the (audited) export of the queue. */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class StaffSupervisionController {
  constructor(
    @Inject(StaffStatsService) private readonly stats: StaffStatsService,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(StaffQueueService) private readonly queue: StaffQueueService,
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('supervision')
  @Allow(SUPERVISORS)
  async supervision(@CurrentStaff() staff: StaffUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const since = new Date(this.clock.now() - 24 * 3_600_000);
    const [stats, limited, names] = await Promise.all([this.stats.summary(), this.audit.since('reveal_limited', since), this.users.names()]);
    noStore(res);
    res.type('html').send(supervisionPage({ staff, csrf: this.csrf.token(req, res), stats, revealLimited: revealAlerts(limited, names) }));
  }

  @Get('audit')
  @Allow(SUPERVISORS)
  async auditLog(@CurrentStaff() staff: StaffUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const [rows, names] = await Promise.all([this.audit.latest(200), this.users.names()]);
    const refs = new Map<string, string>();
    for (const id of new Set(rows.map((r) => r.requestId).filter((x): x is string => Boolean(x)))) {
      const found = await this.requests.findById(id);
      if (found) refs.set(id, found.refCode);
    }
    noStore(res);
    res.type('html').send(auditPage({ staff, csrf: this.csrf.token(req, res), rows, names, refs }));
  }

  /** The open requests as CSV — codes, topics, languages, windows, waits; never a number or a note. */
  @Get('export/requests.csv')
  @Allow(SUPERVISORS)
  async exportCsv(@CurrentStaff() staff: StaffUser, @Res() res: Response): Promise<void> {
    const items = await this.queue.list(staff);
    await this.audit.record({ staffId: staff.id, action: 'export', detail: { what: 'open_requests', rows: items.length } });
    const rows = items.map((i) => [i.refCode, i.topic, i.urgent, i.callLanguage, JSON.stringify(i.windows), i.status, i.attempt, i.createdAt.toISOString(), i.waitingMinutes]);
    noStore(res);
    res.setHeader('Content-Disposition', 'attachment; filename="sira-requests.csv"');
    res.type('text/csv').send(stringify([['ref', 'topic', 'urgent', 'call_language', 'windows', 'status', 'attempt', 'created_at', 'waiting_minutes'], ...rows]));
  }
}
