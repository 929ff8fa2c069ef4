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
    const minuteKey = this.keys.senderMinute(blind, Math.floor(now / 60_000));
    const perMinute = await this.incr(minuteKey, 1, 120);
    if (perMinute > this.config.sms.senderMessagesPerMinute) return this.refuse('sender_rate');
    const senderKey = this.keys.senderSegments(blind, day);
    if ((await this.incr(senderKey, segments, DAY_SECONDS)) > this.config.sms.senderDailySegments) {
      await this.redis.decrBy(senderKey, segments);
      return this.refuse('sender_daily_segments');
    }
    const totalKey = this.keys.totalSegments(day);
    if ((await this.incr(totalKey, segments, DAY_SECONDS)) > this.config.sms.dailySegments) {
      await this.redis.decrBy(totalKey, segments);
      await this.redis.decrBy(senderKey, segments);
      return this.refuse('daily_segments');
    }
    return true;
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
