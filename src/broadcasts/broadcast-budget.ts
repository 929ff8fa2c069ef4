import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { bamakoDay } from './broadcast-hours';

/** Books `ARGV[1]` segments unless the day's total would pass `ARGV[2]`; 1 booked, 0 refused. */
const BOOK = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3], 'NX')
return 1
`;

/**
 * Broadcasts' own SMS budget per Bamako day (BROADCAST_DAILY_SEGMENTS), in Redis: never the per-number
 * or daily caps of the SMS channel, which her replies and the distress path need.
 */
@Injectable()
export class BroadcastBudget {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async book(segments: number): Promise<boolean> {
    const result = await this.redis.eval(BOOK, { keys: [this.key()], arguments: [String(segments), String(this.config.broadcasts.dailySegments), String(3 * 86_400)] });
    return Number(result) === 1;
  }

  async refund(segments: number): Promise<void> {
    await this.redis.decrBy(this.key(), segments);
  }

  async usedToday(): Promise<number> {
    return Number((await this.redis.get(this.key())) ?? 0);
  }

  private key(): string {
    return `${this.config.redis.prefix}:broadcast:segments:${bamakoDay(this.clock.now())}`;
  }
}
