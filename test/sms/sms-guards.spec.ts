import { cappedContactsByDay } from '../../src/channels/sms/sms-cap-notice';
import { SmsGuards } from '../../src/channels/sms/sms-guards';
import { ManualClock } from '../../src/common/clock';
import { BlindIndex } from '../../src/crypto/blind-index';
import { KeyRing } from '../../src/crypto/key-ring';
import { connectRedis, type RedisClient } from '../../src/redis/redis.module';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { deleteRedisPrefix, malianNumber, smsTestConfig, testPrefix } from './sms-test.helpers';

describe('SMS guards (real Redis): country allow-list, per-number rate, daily segment caps', () => {
  const prefix = testPrefix('guards');
  let redis: RedisClient;
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 9, 0, 0));
  const config = smsTestConfig(prefix, 'postgres://unused/unused', {
    SMS_ALLOWED_COUNTRY_CODES: '223,226',
    SMS_SENDER_MESSAGES_PER_MINUTE: '3',
    SMS_SENDER_DAILY_SEGMENTS: '5',
    SMS_DAILY_SEGMENTS: '8',
  });
  const keys = KeyRing.fromConfig(config);
  let guards: SmsGuards;

  beforeAll(async () => {
    redis = await connectRedis(TEST_REDIS_URL);
    guards = new SmsGuards(config, redis, new BlindIndex(keys), clock);
  });

  afterAll(async () => {
    await redis.close();
    await deleteRedisPrefix(prefix);
  });

  it('answers and texts only numbers of the allowed countries (Mali by default, neighbours by configuration)', () => {
    expect(guards.countryAllowed('+22370000001')).toBe(true);
    expect(guards.countryAllowed('0022670000001')).toBe(true);
    expect(guards.countryAllowed('+33612345678')).toBe(false);
    expect(guards.countryAllowed('+15005550006')).toBe(false);
    expect(guards.countryAllowed('not a number')).toBe(false);
  });

  it('limits the messages one number gets per minute, and lets her be answered again the next minute', async () => {
    const her = malianNumber();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await guards.admitOutgoing(her, 1));
    expect(results).toEqual([true, true, true, false]);
    expect(await guards.admitOutgoing(malianNumber(), 1)).toBe(true); // someone else is not affected
    clock.advance(60_000);
    expect(await guards.admitOutgoing(her, 1)).toBe(true);
    expect((await guards.refusalsToday()).sender_rate).toBe(1);
  });

  it('caps the segments one number gets per day, refused SMS not counting, until the next UTC day', async () => {
    clock.advance(24 * 3600_000);
    const her = malianNumber();
    expect(await guards.admitOutgoing(her, 3)).toBe(true);
    expect(await guards.admitOutgoing(her, 3)).toBe(false); // 6 > 5
    clock.advance(60_000);
    expect(await guards.admitOutgoing(her, 2)).toBe(true); // 5: the refused 3 were not booked
    clock.advance(60_000);
    expect(await guards.admitOutgoing(her, 1)).toBe(false);
    clock.advance(24 * 3600_000);
    expect(await guards.admitOutgoing(her, 1)).toBe(true);
  });

  it('caps the segments of the whole service per day', async () => {
    clock.advance(24 * 3600_000);
    const admitted = [];
    for (let i = 0; i < 5; i++) admitted.push(await guards.admitOutgoing(malianNumber(), 2));
    expect(admitted).toEqual([true, true, true, true, false]);
    expect((await guards.refusalsToday()).daily_segments).toBe(1);
  });

  it('when her day cap first refuses a reply, one notice is claimed (once, even for concurrent replies) and booked; then nothing until the next UTC day', async () => {
    clock.advance(24 * 3600_000);
    const her = malianNumber();
    expect(await guards.admitReply(her, 4, 1)).toEqual({ admitted: true, notice: null });
    const concurrent = await Promise.all([guards.admitReply(her, 2, 1), guards.admitReply(her, 2, 1), guards.admitReply(her, 3, 1)]);
    expect(concurrent.map((a) => a.admitted)).toEqual([false, false, false]);
    expect(concurrent.filter((a) => a.notice === 'day')).toHaveLength(1);
    clock.advance(60_000);
    // the notice's segment was booked to her day (5 of 5): even a 1-segment reply is refused, silently
    expect(await guards.admitReply(her, 1, 1)).toEqual({ admitted: false, notice: null });
    clock.advance(3 * 3600_000);
    expect(await guards.admitReply(her, 1, 1)).toEqual({ admitted: false, notice: null });
    clock.advance(24 * 3600_000);
    expect(await guards.admitReply(her, 1, 1)).toEqual({ admitted: true, notice: null });
  });

  it('the minute cap brings its notice once per minute; once her day is spent, only the day notice, once', async () => {
    clock.advance(24 * 3600_000);
    const her = malianNumber();
    const minute = [];
    for (let i = 0; i < 5; i++) minute.push(await guards.admitReply(her, 1, 1));
    expect(minute).toEqual([
      { admitted: true, notice: null }, { admitted: true, notice: null }, { admitted: true, notice: null },
      { admitted: false, notice: 'minute' }, { admitted: false, notice: null },
    ]);
    clock.advance(60_000);
    // her day: 3 + the minute notice = 4 of 5
    expect(await guards.admitReply(her, 1, 1)).toEqual({ admitted: true, notice: null });
    // day spent: the day notice once; the minute cap then met (4th this minute) says nothing more
    const flood = [];
    for (let i = 0; i < 4; i++) flood.push(await guards.admitReply(her, 1, 1));
    expect(flood).toEqual([{ admitted: false, notice: 'day' }, ...Array(3).fill({ admitted: false, notice: null })]);
    clock.advance(60_000);
    for (let i = 0; i < 4; i++) expect((await guards.admitReply(her, 1, 1)).notice).toBeNull();
  });

  it('never lets a notice past the service daily cap, and gives proactive messages no notice', async () => {
    clock.advance(24 * 3600_000);
    for (let i = 0; i < 4; i++) expect(await guards.admitOutgoing(malianNumber(), 2)).toBe(true); // 8 of 8 today
    const her = malianNumber();
    expect(await guards.admitReply(her, 1, 1)).toEqual({ admitted: false, notice: null });
    expect(await guards.admitReply(her, 6, 1)).toEqual({ admitted: false, notice: null });
    expect(await guards.admitReply(her, 6, 0)).toEqual({ admitted: false, notice: null });
  });

  it('counts the contacts a cap stopped, once per day each, as a count without any number', async () => {
    clock.advance(24 * 3600_000);
    const [a, b] = [malianNumber(), malianNumber()];
    for (const her of [a, a, b]) {
      await guards.admitReply(her, 3, 1);
      await guards.admitReply(her, 3, 1);
      clock.advance(60_000);
    }
    await guards.admitReply(malianNumber(), 1, 1); // not capped
    const [today, yesterday] = await cappedContactsByDay(redis, prefix, clock.now(), 2);
    expect(today!.contacts).toBe(2);
    expect(yesterday!.contacts).toBe(0);
    const found: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:sms:cap*`, COUNT: 500 })) found.push(...batch);
    expect(found.join('\n')).not.toContain(a.slice(4));
    expect(found.join('\n')).not.toContain(b.slice(4));
  });

  it('keeps numbers out of Redis: counters are named by blind index and day only', async () => {
    const her = malianNumber();
    await guards.admitOutgoing(her, 1);
    const found: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) found.push(...batch);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).not.toContain(her.slice(4));
    expect(found.join('\n')).not.toContain('+');
  });
});
