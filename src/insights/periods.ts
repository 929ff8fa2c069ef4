/**
 * The fixed periods insights are published in: Bamako days, ISO weeks (Monday to Sunday) and calendar
 * months. A period is the same whatever range is asked, so a cell means one thing in every export.
 */
export type PeriodKind = 'day' | 'week' | 'month';

export interface Period {
  kind: PeriodKind;
  /** 2026-12-08, 2026-W50, 2026-12 */
  id: string;
  first: string;
  last: string;
}

const DAY_MS = 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Monday = 1 … Sunday = 7. */
function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

export function isoWeekOf(day: string): Period {
  const first = addDays(day, 1 - isoWeekday(day));
  const thursday = addDays(first, 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${year}-01-04`;
  const week1 = addDays(jan4, 1 - isoWeekday(jan4));
  const n = Math.round((Date.parse(`${first}T00:00:00Z`) - Date.parse(`${week1}T00:00:00Z`)) / (7 * DAY_MS)) + 1;
  return { kind: 'week', id: `${year}-W${String(n).padStart(2, '0')}`, first, last: addDays(first, 6) };
}

export function monthOf(day: string): Period {
  const first = `${day.slice(0, 7)}-01`;
  const next = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)), 1)).toISOString().slice(0, 10);
  return { kind: 'month', id: day.slice(0, 7), first, last: addDays(next, -1) };
}

export function dayPeriod(day: string): Period {
  return { kind: 'day', id: day, first: day, last: day };
}

export function daysOf(p: Pick<Period, 'first' | 'last'>): string[] {
  const out: string[] = [];
  for (let d = p.first; d <= p.last; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

/** The periods of one kind lying wholly inside [from, to]. */
export function periodsWithin(kind: PeriodKind, from: string, to: string): Period[] {
  const of = kind === 'day' ? dayPeriod : kind === 'week' ? isoWeekOf : monthOf;
  const out: Period[] = [];
  for (let d = from; d <= to; ) {
    const p = of(d);
    if (p.first >= from && p.last <= to) out.push(p);
    d = addDays(p.last, 1);
  }
  return out;
}
