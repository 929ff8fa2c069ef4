import { Inject, Injectable } from '@nestjs/common';
import { inArray, lte, and } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { anonymousCounts } from '../privacy/privacy.schema';
import { AnonymousMetric } from '../privacy/anonymous-counts.repository';
import { bamakoDay, InsightMetric } from './insight-metrics';
import { insightCounts } from './insights.schema';
import { addDays, periodsWithin, type PeriodKind } from './periods';
import { suppress, type BaseCount, type Dimension, type PublishedCell } from './suppression';

/** One published cell as the API, the page and the CSV give it: a suppressed one has no count. */
export interface InsightCell {
  day?: string;
  week?: string;
  month?: string;
  metric: string;
  topic?: string;
  detail?: string;
  flow?: string;
  node?: string;
  language?: string;
  channel?: string;
  count?: number;
  suppressed?: true;
}

export interface InsightsAnswer {
  minCell: number;
  /** the last day published: a day is final once its menus had their 24 h and the flush ran. */
  settledThrough: string;
  period: PeriodKind;
  cells: InsightCell[];
}

export interface InsightsAsk {
  from: string;
  to: string;
  by?: Dimension;
  period?: PeriodKind;
}

/**
 * Reads the counters and publishes them through suppression. Suppression is decided over every
 * settled day from the first on (not over the asked range), so that two exports of any ranges hide
 * the same cells; the answer is cached until the next day settles or a count changes.
 */
@Injectable()
export class InsightsQuery {
  private cache?: { key: string; cells: PublishedCell[] };

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  get minCell(): number {
    return this.config.insights.minCell;
  }

  /** Days are final two days after they end (menus wait 24 h, then the flush): earlier ones are not published. */
  settledThrough(): string {
    return addDays(bamakoDay(this.clock.now() - 3_600_000), -2);
  }

  async answer(ask: InsightsAsk): Promise<InsightsAnswer> {
    const settledThrough = this.settledThrough();
    const period = ask.period ?? 'day';
    const wanted = new Set(periodsWithin(period, ask.from, ask.to < settledThrough ? ask.to : settledThrough).map((p) => p.id));
    const kind = ask.by ?? 'cell';
    const cells = (await this.published(settledThrough))
      .filter((c) => c.period.kind === period && wanted.has(c.period.id) && c.kind === kind)
      .map(toApi);
    return { minCell: this.minCell, settledThrough, period, cells };
  }

  private async published(settledThrough: string): Promise<PublishedCell[]> {
    const rows = await this.rows(settledThrough);
    const key = `${settledThrough}|${this.minCell}|${rows.length}|${rows.reduce((s, r) => s + r.count, 0)}`;
    if (this.cache?.key !== key) this.cache = { key, cells: suppress(rows, this.minCell, settledThrough) };
    return this.cache.cells;
  }

  private async rows(settledThrough: string): Promise<BaseCount[]> {
    const counted = await this.db.select().from(insightCounts).where(lte(insightCounts.day, settledThrough));
    const out: BaseCount[] = counted.map((r) => ({
      day: r.day,
      series: [r.metric, r.topic, r.detail].join('/'),
      flow: r.flow,
      node: r.node,
      language: r.language,
      channel: r.channel,
      count: r.count,
    }));
    // phone calls are counted by the voice channel's status webhook (anonymous_counts, UTC = Bamako day)
    const voice = await this.db
      .select()
      .from(anonymousCounts)
      .where(and(inArray(anonymousCounts.metric, [AnonymousMetric.VoiceCalls, AnonymousMetric.VoiceSeconds]), lte(anonymousCounts.day, settledThrough)));
    for (const v of voice) {
      const minutes = v.metric === AnonymousMetric.VoiceSeconds;
      const count = minutes ? Math.round(v.value / 60) : v.value;
      out.push({ day: v.day, series: `${minutes ? InsightMetric.VoiceMinutes : InsightMetric.VoiceCalls}//`, flow: '', node: '', language: '', channel: v.channel, count });
    }
    return out;
  }
}

function toApi(c: PublishedCell): InsightCell {
  const [metric, topic, detail] = c.series.split('/');
  const out: InsightCell = { [c.period.kind]: c.period.id, metric: metric! };
  if (topic) out.topic = topic;
  if (detail) out.detail = detail;
  for (const d of ['flow', 'node', 'language', 'channel'] as const) if (c[d] !== undefined) out[d] = c[d];
  if (c.suppressed) out.suppressed = true;
  else out.count = c.count;
  return out;
}
