import { Inject, Injectable, Logger } from '@nestjs/common';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { BlindIndex } from '../../crypto/blind-index';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { SmsRedisKeys, utcDay } from './sms-redis-keys';

export type RefusalReason = 'country' | 'sender_rate' | 'sender_daily_segments' | 'daily_segments' | 'invalid_number';
export const REFUSAL_REASONS: readonly RefusalReason[] = ['country', 'sender_rate', 'sender_daily_segments', 'daily_segments', 'invalid_number'];

const DAY_SECONDS = 2 * 24 * 3600;

/**
 * The three counters of one outgoing SMS in one round trip, atomically: messages this minute to her
 * number, segments today to her number, segments today overall. A refused SMS books nothing.
 * KEYS: minute, sender day, total day. ARGV: segments, the three limits, minute TTL, day TTL (seconds).
 */
const ADMIT = `
local function book(key, by, ttl)
  local n = redis.call('INCRBY', key, by)
  redis.call('EXPIRE', key, ttl, 'NX')
  return n
end
local segments = tonumber(ARGV[1])
if book(KEYS[1], 1, ARGV[5]) > tonumber(ARGV[2]) then return 'sender_rate' end
if book(KEYS[2], segments, ARGV[6]) > tonumber(ARGV[3]) then
  redis.call('DECRBY', KEYS[2], segments)
  return 'sender_daily_segments'
end
if book(KEYS[3], segments, ARGV[6]) > tonumber(ARGV[4]) then
  redis.call('DECRBY', KEYS[3], segments)
  redis.call('DECRBY', KEYS[2], segments)
  return 'daily_segments'
end
return 'ok'
`;

/**
 * Abuse and cost guards of the SMS channel: who may be answered or texted (allowed country codes), how
 * many replies one number gets per minute, and how many segments per day per number and overall.
 * Counters live in Redis under the blind index; refusals are counted per reason and day, never with
 * the number.
 */
@Injectable()
export class SmsGuards {
  private readonly log = new Logger(SmsGuards.name);
  private readonly keys: SmsRedisKeys;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.keys = new SmsRedisKeys(config.redis.prefix);
  }

  /** Whether a number belongs to an allowed country (E.164 or any spelling libphonenumber reads). */
  countryAllowed(address: string): boolean {
    const parsed = parsePhoneNumberFromString(address.replace(/^00/, '+'), 'ML');
    return !!parsed && this.config.sms.allowedCountryCodes.includes(parsed.countryCallingCode);
  }

  /** Checks every guard for one outgoing SMS and books its segments; false (and counted) when refused. */
  async admitOutgoing(address: string, segments: number): Promise<boolean> {
    if (!this.countryAllowed(address)) return this.refuse('country');
    const now = this.clock.now();
    const day = utcDay(now);
    const blind = this.index.of('sms', address);
    const keys = [this.keys.senderMinute(blind, Math.floor(now / 60_000)), this.keys.senderSegments(blind, day), this.keys.totalSegments(day)];
    const { senderMessagesPerMinute, senderDailySegments, dailySegments } = this.config.sms;
    const verdict = await this.redis.eval(ADMIT, {
      keys,
      arguments: [segments, senderMessagesPerMinute, senderDailySegments, dailySegments, 120, DAY_SECONDS].map(String),
    });
    return verdict === 'ok' ? true : this.refuse(verdict as RefusalReason);
  }

  /** Counts a refusal of today (reason only). Returns false, for `return this.refuse(…)`. */
  async refuse(reason: RefusalReason): Promise<false> {
    await this.incr(this.keys.refused(reason, utcDay(this.clock.now())), 1, 40 * 24 * 3600);
    this.log.warn(`SMS refused: ${reason}`);
    return false;
  }

  /** Today's refusals per reason (for staff and tests). */
  async refusalsToday(): Promise<Record<RefusalReason, number>> {
    const day = utcDay(this.clock.now());
    const values = await Promise.all(REFUSAL_REASONS.map((r) => this.redis.get(this.keys.refused(r, day))));
    return Object.fromEntries(REFUSAL_REASONS.map((r, i) => [r, Number(values[i] ?? 0)])) as Record<RefusalReason, number>;
  }

  private async incr(key: string, by: number, ttlSeconds: number): Promise<number> {
    const [value] = await this.redis.multi().incrBy(key, by).expire(key, ttlSeconds, 'NX').exec();
    return Number(value);
  }
}
