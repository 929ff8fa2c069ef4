import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { RepairTask } from '../common/repair-task';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { runsWorkers } from '../config/process-role';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { bamakoDay, InsightMetric, keyOf, type FullInsightKey } from './insight-metrics';
import { insightCounts } from './insights.schema';
import { InsightsTally } from './insights.tally';

export const INSIGHTS_FLUSH_SETTINGS = Symbol('INSIGHTS_FLUSH_SETTINGS');
export interface InsightsFlushSettings {
  intervalMs: number;
}
export const DEFAULT_INSIGHTS_FLUSH: InsightsFlushSettings = { intervalMs: 60_000 };

/** Menus whose 24 h passed become menu_abandoned counters (the member's field), atomically. */
const COUNT_ABANDONED = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
for _, m in ipairs(due) do
  local bar = string.find(m, '|', 1, true)
  if bar then redis.call('HINCRBY', KEYS[2], string.sub(m, bar + 1), 1) end
  redis.call('ZREM', KEYS[1], m)
end
return #due`;

/** The pending counters become the batch in flight, unless a batch a failed flush left is still there. */
const TAKE_BATCH = `
if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end
return redis.call('HGETALL', KEYS[2])`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Moves the turns' Redis tallies into insight_counts, in the worker role, every minute (and at start-up
 * and when Redis is back): abandoned menus counted, then the batch written with one upsert per 500
 * counters (`count = count + excluded.count`), then dropped; the day's distinct contacts written as
 * the HyperLogLog's count (set, not added), and the HLL dropped once its day is over. One flush at a
 * time across processes (a Redis lock). A flush cut after the upsert and before the batch is dropped
 * would add that batch twice: the only double count possible, accepted over losing counts.
 */
@Injectable()
export class InsightsFlush implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(InsightsFlush.name);
  private readonly repair: RepairTask<number>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(InsightsTally) private readonly tally: InsightsTally,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INSIGHTS_FLUSH_SETTINGS) settings: InsightsFlushSettings,
  ) {
    this.repair = new RepairTask({ what: 'insights flush', redis: this.redis, intervalMs: settings.intervalMs, run: () => this.flush(), log: this.log });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (runsWorkers(this.config)) await this.repair.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.repair.stop();
  }

  /** One flush now (tests, the page's "as of now"); the number of counters written, undefined on failure. */
  flushNow(): Promise<number | undefined> {
    return this.repair.now('asked');
  }

  private async flush(): Promise<number> {
    const keys = this.tally.keys;
    const token = randomBytes(9).toString('base64url');
    const locked = await this.redis.set(keys.flushLock(), token, { NX: true, expiration: { type: 'PX', value: 60_000 } });
    if (locked !== 'OK') return 0;
    try {
      const now = this.clock.now();
      await this.redis.eval(COUNT_ABANDONED, { keys: [keys.menus(), keys.pending()], arguments: [String(now)] });
      const flat = (await this.redis.eval(TAKE_BATCH, { keys: [keys.pending(), keys.inflight()] })) as string[];
      const rows: Array<FullInsightKey & { count: number }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const key = keyOf(flat[i]!);
        const count = Number(flat[i + 1]);
        if (key && count > 0) rows.push({ ...key, count });
      }
      for (let i = 0; i < rows.length; i += 500) await this.upsert(rows.slice(i, i + 500), 'add');
      await this.redis.del(keys.inflight());
      return rows.length + (await this.flushContacts(now));
    } finally {
      await this.redis.eval(RELEASE, { keys: [keys.flushLock()], arguments: [token] });
    }
  }

  private async flushContacts(now: number): Promise<number> {
    const keys = this.tally.keys;
    const today = bamakoDay(now);
    const pairs = await this.redis.sMembers(keys.contactDays());
    for (const pair of pairs) {
      const [day, channel] = pair.split(':') as [string, string];
      const count = await this.redis.pfCount(keys.contacts(day, channel));
      const key = keyOf([day, InsightMetric.Contacts, '', '', '', channel, '', ''].join('|'));
      if (key && count > 0) await this.upsert([{ ...key, count }], 'set');
      if (day < today) await this.redis.multi().del(keys.contacts(day, channel)).sRem(keys.contactDays(), pair).exec();
    }
    return pairs.length;
  }

  private async upsert(rows: Array<FullInsightKey & { count: number }>, how: 'add' | 'set'): Promise<void> {
    await this.db
      .insert(insightCounts)
      .values(rows)
      .onConflictDoUpdate({
        target: [insightCounts.day, insightCounts.metric, insightCounts.flow, insightCounts.node, insightCounts.language, insightCounts.channel, insightCounts.topic, insightCounts.detail],
        set: { count: how === 'add' ? sql`${insightCounts.count} + excluded.count` : sql`excluded.count` },
      });
  }
}
