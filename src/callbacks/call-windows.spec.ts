import { isCallableAt, localDay, nextCallableAt, nextWindowAfter, offeredChoiceFacts, parseStaffHours, queueRank, windowFor } from './call-windows';
import { callbackSettings } from './callback.settings';
import type { CallWindow } from './callback.types';

const staff = parseStaffHours('08:00-18:00', '1-6');
/** Thursday 15 January 2026 in Bamako (UTC+0, no daylight saving). */
const at = (day: number, hh: number, mm = 0) => Date.UTC(2026, 0, day, hh, mm);
const morningWeekdays = windowFor('morning', 'weekdays');
const evening = windowFor('evening', 'any');

describe('call windows (Africa/Bamako)', () => {
  it('parses staff hours and days', () => {
    expect(parseStaffHours('08:30-17:00', '1-3,6')).toEqual({ days: [1, 2, 3, 6], fromMinute: 510, toMinute: 1020 });
  });

  it('knows the local weekday and midnight', () => {
    expect(localDay(at(15, 13, 45))).toEqual({ midnight: at(15, 0), weekday: 4 });
    expect(localDay(at(18, 23, 59)).weekday).toBe(7);
  });

  it.each<[string, CallWindow, number, boolean]>([
    ['inside her morning and staff hours', morningWeekdays, at(15, 9), true],
    ['before her window starts', morningWeekdays, at(15, 7, 59), false],
    ['at the end of her window (half-open)', morningWeekdays, at(15, 12), false],
    ['on a Saturday she did not choose', morningWeekdays, at(17, 9), false],
    ['in her evening but after staff leave', evening, at(15, 18, 30), false],
    ['in her evening while staff still work', evening, at(15, 17, 30), true],
    ['on a Sunday staff do not work', evening, at(18, 17, 30), false],
  ])('callable now: %s', (_name, window, instant, callable) => {
    expect(isCallableAt([window], staff, instant)).toBe(callable);
  });

  it('finds the next callable moment: later today, or the next chosen day', () => {
    expect(nextCallableAt([morningWeekdays], staff, at(15, 6))).toBe(at(15, 8));
    expect(nextCallableAt([morningWeekdays], staff, at(15, 10))).toBe(at(15, 10));
    expect(nextCallableAt([morningWeekdays], staff, at(16, 13))).toBe(at(19, 8)); // Friday afternoon → Monday
    expect(nextCallableAt([evening], staff, at(17, 19))).toBe(at(19, 17)); // Saturday 19:00 → Monday 17:00 (no staff Sunday)
  });

  it('retries "no answer" at the start of her next window, never in the same sitting', () => {
    expect(nextWindowAfter([morningWeekdays], staff, at(15, 9, 30))).toBe(at(16, 8));
    expect(nextWindowAfter([morningWeekdays], staff, at(15, 14))).toBe(at(16, 8));
  });

  it('says when her windows never meet staff hours', () => {
    const late: CallWindow = { days: [7], fromMinute: 19 * 60, toMinute: 20 * 60 };
    expect(nextCallableAt([late], staff, at(15, 9))).toBeNull();
  });

  it('puts urgent callable requests first, but never before her window opens', () => {
    const now = at(15, 9);
    const urgentOutside = queueRank({ urgent: true, windows: [evening], dueAt: new Date(at(15, 8)) }, staff, now);
    const calmInside = queueRank({ urgent: false, windows: [morningWeekdays], dueAt: new Date(at(15, 8, 30)) }, staff, now);
    const urgentInside = queueRank({ urgent: true, windows: [morningWeekdays], dueAt: new Date(at(15, 8, 45)) }, staff, now);
    const order = [urgentOutside, calmInside, urgentInside].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(order).toEqual([urgentInside, calmInside, urgentOutside]);
  });
});

describe('choices offered to her from staff hours', () => {
  const offered = (hours: string, days: string) => offeredChoiceFacts([parseStaffHours(hours, days)]);
  it.each<[string, string, string[]]>([
    ['08:00-18:00', '1-6', ['offer_part_morning', 'offer_part_afternoon', 'offer_days_monday_saturday', 'offer_days_weekdays']],
    ['07:00-21:00', '1-7', ['offer_part_morning', 'offer_part_afternoon', 'offer_part_evening', 'offer_days_any', 'offer_days_weekdays', 'offer_days_weekend']],
    ['09:00-17:00', '1-5', ['offer_part_afternoon', 'offer_days_weekdays']],
    ['12:00-20:00', '6-7', ['offer_part_afternoon', 'offer_part_evening', 'offer_days_weekend']],
  ])('staff %s on days %s: offers only what they cover entirely', (hours, days, facts) => {
    expect(Object.keys(offered(hours, days))).toEqual(facts);
  });

  it('a schedule offering no window or no day set refuses to start, naming the variable', () => {
    const config = (staffHours: string, staffDays: string) =>
      ({ callbacks: { staffHours, staffDays, urgentEscalateMs: 1, escalateMs: 1, claimTtlMs: 1, maxAttempts: 3 } }) as Parameters<typeof callbackSettings>[0];
    expect(() => callbackSettings(config('08:00-11:00', '1-6'))).toThrow(/CALLBACK_STAFF_HOURS/);
    expect(() => callbackSettings(config('08:00-18:00', '2-4'))).toThrow(/CALLBACK_STAFF_DAYS/);
    expect(callbackSettings(config('08:00-18:00', '1-6')).offeredChoices).toEqual(offered('08:00-18:00', '1-6'));
  });
});
