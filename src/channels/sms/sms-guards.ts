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
const STATS_SECONDS = 40 * 24 * 3600;

/** Which per-number cap stopped her: the day's segments (until 00:00 UTC) or the minute's messages. */
export type CapWindow = 'day' | 'minute';

/** The verdict on one outgoing SMS; `notice`: a cap first stopped her in this window, tell her once. */
export interface Admission {
  admitted: boolean;
  notice: CapWindow | null;
}

/**
 * The three counters of one outgoing SMS in one round trip, atomically: messages this minute to her
 * number, segments today to her number, segments today overall. A refused SMS books nothing.
 * When a per-number cap refuses it and ARGV[7] > 0, the notice of that cap is claimed in the same
 * script, so concurrent replies claim it once: at most one per window (a flag living as long as the
 * cap), let past her own caps (else the cap would swallow it) but booked to her day and to the
 * service's day, and never past the service's daily cap. She is then counted once among the day's
 * capped contacts. Once her day is spent, the minute cap says the day's notice (once a day), so
 * flooding her line cannot buy her a notice a minute.
 * KEYS: minute, sender day, total day, minute notice flag, day notice flag, counted flag, capped count.
 * ARGV: segments, the three limits, minute TTL, day TTL, notice segments, minute flag TTL, day flag
 * TTL, stats TTL (seconds). Returns { verdict, 'day' | 'minute' | '' }.
 */
const ADMIT = `
local function book(key, by, ttl)
  local n = redis.call('INCRBY', key, by)
  redis.call('EXPIRE', key, ttl, 'NX')
  return n
end
local segments = tonumber(ARGV[1])
local notice_segments = tonumber(ARGV[7])
local function notice(window)
  local flag, ttl = KEYS[5], ARGV[9]
  if window == 'minute' then flag, ttl = KEYS[4], ARGV[8] end
  if notice_segments <= 0 or redis.call('EXISTS', flag) == 1 then return '' end
  if tonumber(redis.call('GET', KEYS[3]) or '0') + notice_segments > tonumber(ARGV[4]) then return '' end
  redis.call('SET', flag, '1', 'EX', ttl)
  book(KEYS[2], notice_segments, ARGV[6])
  book(KEYS[3], notice_segments, ARGV[6])
  if redis.call('SET', KEYS[6], '1', 'NX', 'EX', ARGV[6]) then book(KEYS[7], 1, ARGV[10]) end
  return window
end
if book(KEYS[1], 1, ARGV[5]) > tonumber(ARGV[2]) then
  local spent = tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[3])
  return { 'sender_rate', notice(spent and 'day' or 'minute') }
end
if book(KEYS[2], segments, ARGV[6]) > tonumber(ARGV[3]) then
  redis.call('DECRBY', KEYS[2], segments)
  return { 'sender_daily_segments', notice('day') }
end
if book(KEYS[3], segments, ARGV[6]) > tonumber(ARGV[4]) then
  redis.call('DECRBY', KEYS[3], segments)
  redis.call('DECRBY', KEYS[2], segments)
  return { 'daily_segments', '' }
end
return { 'ok', '' }
`;

/** Seconds until `now`'s UTC day (or minute) ends: how long a cap of that window still holds. */
function secondsLeft(now: number, windowMs: number): number {
  return Math.max(1, Math.ceil((windowMs - (now % windowMs)) / 1000));
}

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
    return (await this.admitReply(address, segments, 0)).admitted;
  }

  /**
   * As admitOutgoing, for a reply: when her own cap (the minute's or the day's) first refuses it in a
   * window, `notice` says which, and `noticeSegments` are already booked for the one notice she gets.
   * `noticeSegments` 0: no notice (proactive messages).
   */
  async admitReply(address: string, segments: number, noticeSegments: number): Promise<Admission> {
    if (!this.countryAllowed(address)) return { admitted: await this.refuse('country'), notice: null };
    const now = this.clock.now();
    const day = utcDay(now);
    const minute = Math.floor(now / 60_000);
    const blind = this.index.of('sms', address);
    const k = this.keys;
    const keys = [
      k.senderMinute(blind, minute), k.senderSegments(blind, day), k.totalSegments(day),
      k.capNoticeSent(blind, `m${minute}`), k.capNoticeSent(blind, day), k.cappedCounted(blind, day), k.cappedContacts(day),
    ];
    const { senderMessagesPerMinute, senderDailySegments, dailySegments } = this.config.sms;
    const limits = [senderMessagesPerMinute, senderDailySegments, dailySegments];
    const ttls = [120, DAY_SECONDS, noticeSegments, secondsLeft(now, 60_000), secondsLeft(now, 86_400_000), STATS_SECONDS];
    const [verdict, notice] = (await this.redis.eval(ADMIT, { keys, arguments: [segments, ...limits, ...ttls].map(String) })) as [string, string];
    const admitted = verdict === 'ok' ? true : await this.refuse(verdict as RefusalReason);
    return { admitted, notice: notice === 'day' || notice === 'minute' ? notice : null };
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
