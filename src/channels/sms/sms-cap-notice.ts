import type { Output } from '../../engine/engine.types';
import type { RedisClient } from '../../redis/redis.module';
import type { CapWindow } from './sms-guards';
import { SmsRedisKeys, utcDay } from './sms-redis-keys';

/**
 * The one short message she gets when her own cap (SMS_SENDER_DAILY_SEGMENTS or
 * SMS_SENDER_MESSAGES_PER_MINUTE) first stops her replies: when she can write again, and that a
 * person can still call her back. Discreet (no topic), one GSM-7 segment in fr and en; other
 * languages fall back to French until native speakers write it.
 */
export const CAP_NOTICE_KEYS: Readonly<Record<CapWindow, string>> = {
  day: 'common:cap_reached',
  minute: 'common:cap_reached_minute',
};

export const CAP_WINDOWS: readonly CapWindow[] = ['day', 'minute'];

export function capNotice(window: CapWindow): Output[] {
  return [{ text: CAP_NOTICE_KEYS[window] }];
}

/** Capped contacts per UTC day, the last `days` days, newest first: counts, never a number. */
export async function cappedContactsByDay(redis: RedisClient, prefix: string, now: number, days = 7): Promise<Array<{ day: string; contacts: number }>> {
  const keys = new SmsRedisKeys(prefix);
  const dayList = Array.from({ length: days }, (_, i) => utcDay(now - i * 86_400_000));
  const values = await Promise.all(dayList.map((d) => redis.get(keys.cappedContacts(d))));
  return dayList.map((day, i) => ({ day, contacts: Number(values[i] ?? 0) }));
}
