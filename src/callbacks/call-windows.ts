import type { CallWindow } from './callback.types';

/** Sira's users and staff live in Mali: every local time is Bamako time (UTC+0, no daylight saving). */
export const CALLBACK_TIME_ZONE = 'Africa/Bamako';

const DAY_MS = 86_400_000;
/** How far ahead a next window is searched: two weeks covers any pattern of days. */
const HORIZON_DAYS = 14;

/** The parts of a day she can choose from; local minutes after midnight, half-open. */
export const PARTS_OF_DAY = {
  morning: { fromMinute: 8 * 60, toMinute: 12 * 60 },
  afternoon: { fromMinute: 12 * 60, toMinute: 17 * 60 },
  evening: { fromMinute: 17 * 60, toMinute: 20 * 60 },
} as const;
export type PartOfDay = keyof typeof PARTS_OF_DAY;

export const DAY_SETS = {
  any: [1, 2, 3, 4, 5, 6, 7],
  monday_saturday: [1, 2, 3, 4, 5, 6],
  weekdays: [1, 2, 3, 4, 5],
  weekend: [6, 7],
} as const;
export type DaySet = keyof typeof DAY_SETS;

/** Staff working hours in the same local terms as her windows. */
export type StaffHours = CallWindow;

export function windowFor(part: PartOfDay, days: DaySet): CallWindow {
  return { days: [...DAY_SETS[days]], ...PARTS_OF_DAY[part] };
}

/** `08:00-18:00` and `1-6` / `1,2,3` (validated by the config schema) → staff hours. */
export function parseStaffHours(hours: string, days: string): StaffHours {
  const [from, to] = hours.split('-').map(toMinute);
  const set = new Set<number>();
  for (const part of days.split(',')) {
    const [a, b = a] = part.split('-').map(Number);
    for (let d = Math.min(a, b); d <= Math.max(a, b); d++) set.add(d);
  }
  return { days: [...set].sort(), fromMinute: from, toMinute: to };
}

/**
 * The engine facts that let the callback flow show a choice (`when:` in flows/callback.yaml):
 * `offer_part_<part>` when one schedule covers the whole part of day (its label names those hours,
 * so a partly covered part is not offered), `offer_days_<set>` when one schedule works every day of
 * the set. "Monday to Saturday" is left out when every day is offered (it would add nothing).
 * Takes a list so a later per-team schedule plugs in; today it is the one CALLBACK_STAFF_* schedule.
 */
export function offeredChoiceFacts(schedules: StaffHours[]): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const part of offeredParts(schedules)) facts[`offer_part_${part}`] = 'yes';
  for (const set of offeredDaySets(schedules)) facts[`offer_days_${set}`] = 'yes';
  return facts;
}

export function offeredParts(schedules: StaffHours[]): PartOfDay[] {
  return (Object.keys(PARTS_OF_DAY) as PartOfDay[]).filter((part) =>
    schedules.some((s) => s.fromMinute <= PARTS_OF_DAY[part].fromMinute && PARTS_OF_DAY[part].toMinute <= s.toMinute));
}

export function offeredDaySets(schedules: StaffHours[]): DaySet[] {
  const covered = (Object.keys(DAY_SETS) as DaySet[]).filter((set) =>
    schedules.some((s) => DAY_SETS[set].every((d) => s.days.includes(d))));
  return covered.includes('any') ? covered.filter((set) => set !== 'monday_saturday') : covered;
}

function toMinute(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

interface LocalDay {
  /** the instant of local midnight. */
  midnight: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
}

/** Local midnight and weekday of the day holding `instant`, in `timeZone`. */
export function localDay(instant: number, timeZone = CALLBACK_TIME_ZONE): LocalDay {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23', weekday: 'short',
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const asUtc = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second')));
  const offset = asUtc - Math.floor(instant / 1000) * 1000;
  const midnight = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day'))) - offset;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { midnight, weekday };
}

/** The intervals [start, end) of one local day in which both she and the staff can be on the phone. */
function callableIntervals(windows: CallWindow[], staff: StaffHours, day: LocalDay): Array<[number, number]> {
  if (!staff.days.includes(day.weekday)) return [];
  return windows
    .filter((w) => w.days.includes(day.weekday))
    .map((w): [number, number] => [Math.max(w.fromMinute, staff.fromMinute), Math.min(w.toMinute, staff.toMinute)])
    .filter(([a, b]) => a < b)
    .map(([a, b]): [number, number] => [day.midnight + a * 60_000, day.midnight + b * 60_000])
    .sort((x, y) => x[0] - y[0]);
}

/** "Callable now": inside one of her windows and inside staff hours. */
export function isCallableAt(windows: CallWindow[], staff: StaffHours, instant: number, timeZone = CALLBACK_TIME_ZONE): boolean {
  return callableIntervals(windows, staff, localDay(instant, timeZone)).some(([a, b]) => instant >= a && instant < b);
}

/**
 * The first instant at or after `from` when she may be called (her window and staff hours), or null
 * when her windows never meet staff hours (staff then see it waiting; it is never moved out of her window).
 */
export function nextCallableAt(windows: CallWindow[], staff: StaffHours, from: number, timeZone = CALLBACK_TIME_ZONE): number | null {
  let probe = from;
  for (let i = 0; i <= HORIZON_DAYS; i++) {
    const day = localDay(probe, timeZone);
    for (const [a, b] of callableIntervals(windows, staff, day)) if (b > from) return Math.max(a, from);
    probe = day.midnight + DAY_MS + 3_600_000; // an hour into the next day: safe across any offset change
  }
  return null;
}

/**
 * The next window strictly after the current one: after "no answer" she is not called again in the
 * same sitting but at the start of her next safe window.
 */
export function nextWindowAfter(windows: CallWindow[], staff: StaffHours, now: number, timeZone = CALLBACK_TIME_ZONE): number | null {
  const day = localDay(now, timeZone);
  const current = callableIntervals(windows, staff, day).find(([a, b]) => now >= a && now < b);
  return nextCallableAt(windows, staff, current ? current[1] : now, timeZone) ?? null;
}

/**
 * Order of the staff queue: urgent ones that can be called now, then others that can be called now,
 * then the rest by when they become callable. Urgency reorders, it never makes a request callable
 * outside her window.
 */
export function queueRank(req: { urgent: boolean; windows: CallWindow[]; dueAt: Date }, staff: StaffHours, now: number): [number, number] {
  const callable = isCallableAt(req.windows, staff, now);
  const group = callable ? (req.urgent ? 0 : 1) : 2;
  const next = callable ? req.dueAt.getTime() : (nextCallableAt(req.windows, staff, now) ?? Number.MAX_SAFE_INTEGER);
  return [group, next];
}
