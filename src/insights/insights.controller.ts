import { BadRequestException, Controller, Get, Inject, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { CLOCK, type Clock } from '../common/clock';
import { AuditLogRepository } from '../staff/audit-log.repository';
import { Allow, CurrentStaff, SUPERVISORS } from '../staff/staff-access';
import { StaffCsrf } from '../staff/staff-csrf';
import { noStore } from '../staff/staff-http';
import { StaffPageFilter } from '../staff/staff-page.filter';
import { StaffGuard } from '../staff/staff.guard';
import type { StaffUser } from '../staff/staff.types';
import { chartSvg } from './insights.charts';
import { InsightsQuery, type InsightsAnswer, type InsightsAsk } from './insights.query';
import { SECTION_IDS, sectionCsv, sections, type InsightSection } from './insights.sections';
import { insightsPage } from './insights.view';
import { addDays, isDay, type PeriodKind } from './periods';
import { DIMENSIONS, type Dimension } from './suppression';
import { bamakoDay } from './insight-metrics';

const MAX_DAYS = 800;

/** Reads from/to/by/period, or says in one line what is wrong (400). */
export function parseAsk(q: Record<string, unknown>): InsightsAsk {
  const { from, to, by, period } = q;
  if (typeof from !== 'string' || !isDay(from)) throw new BadRequestException('from must be a calendar day written YYYY-MM-DD');
  if (typeof to !== 'string' || !isDay(to)) throw new BadRequestException('to must be a calendar day written YYYY-MM-DD');
  if (to < from) throw new BadRequestException('to must not be before from');
  if (addDays(from, MAX_DAYS) < to) throw new BadRequestException(`a range is at most ${MAX_DAYS} days`);
  if (by !== undefined && !DIMENSIONS.includes(by as Dimension)) throw new BadRequestException('by must be one of flow, node, language, channel');
  if (period !== undefined && !['day', 'week', 'month'].includes(period as string)) throw new BadRequestException('period must be day, week or month');
  return { from, to, ...(by ? { by: by as Dimension } : {}), ...(period ? { period: period as PeriodKind } : {}) };
}

/**
 * Programme insight for supervisors and admins: the JSON API, the page with its charts and the CSV of
 * each chart, all from the same suppressed cells (InsightsQuery). Exports are audited like the queue's.
 */
@Controller('staff')
@UseGuards(StaffGuard)
@UseFilters(StaffPageFilter)
export class InsightsController {
  constructor(
    @Inject(InsightsQuery) private readonly query: InsightsQuery,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('api/insights')
  @Allow(SUPERVISORS)
  async api(@Query() q: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const answer = await this.query.answer(parseAsk(q));
    noStore(res);
    res.json(answer);
  }

  @Get('insights')
  @Allow(SUPERVISORS)
  async page(@CurrentStaff() staff: StaffUser, @Query() q: Record<string, unknown>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const ask = this.pageAsk(q);
    const [list, settled] = await this.sections(ask);
    const drawn = await Promise.all(list.map(async (s) => ({ ...s, svg: await draw(s) })));
    noStore(res);
    res.type('html').send(insightsPage({ staff, csrf: this.csrf.token(req, res), from: ask.from, to: ask.to, period: ask.period ?? 'week', minCell: this.query.minCell, settledThrough: settled, sections: drawn }));
  }

  @Get('insights/export.csv')
  @Allow(SUPERVISORS)
  async csv(@CurrentStaff() staff: StaffUser, @Query() q: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const ask = this.pageAsk(q);
    const table = SECTION_IDS.find((id) => id === q.table);
    if (!table) throw new BadRequestException(`table must be one of ${SECTION_IDS.join(', ')}`);
    const [list] = await this.sections(ask);
    const s = list.find((x) => x.id === table)!;
    await this.audit.record({ staffId: staff.id, action: 'export', detail: { what: `insights_${table}`, rows: s.rows.length } });
    noStore(res);
    res.setHeader('Content-Disposition', `attachment; filename="sira-insights-${table}.csv"`);
    res.type('text/csv').send(stringify(sectionCsv(s, this.query.minCell)));
  }

  /** The page's range: the last 4 ISO weeks that settled, unless asked otherwise. */
  private pageAsk(q: Record<string, unknown>): InsightsAsk & { period: PeriodKind } {
    const to = typeof q.to === 'string' ? q.to : this.query.settledThrough();
    const from = typeof q.from === 'string' ? q.from : addDays(bamakoDay(this.clock.now()), -35);
    const ask = parseAsk({ ...q, from, to, by: undefined });
    return { ...ask, period: ask.period ?? 'week' };
  }

  private async sections(ask: InsightsAsk): Promise<[InsightSection[], string]> {
    const [byNode, byFlow, byLanguage, byChannel] = (await Promise.all((['node', 'flow', 'language', 'channel'] as const).map((by) => this.query.answer({ ...ask, by })))) as InsightsAnswer[];
    return [sections({ byNode: byNode!, byFlow: byFlow!, byLanguage: byLanguage!, byChannel: byChannel! }), byNode!.settledThrough];
  }
}

function draw(s: InsightSection): Promise<string> {
  const points = s.rows.filter((r) => !r.cell.suppressed).map((r) => ({ x: r.x, y: r.cell.count ?? 0, ...(r.series ? { series: r.series } : {}) }));
  return chartSvg(points, { kind: s.chart === 'stacked' ? 'bar' : s.chart, x: s.x, y: 'nombre', ...(s.series ? { series: s.series } : {}) });
}
