/**
 * Whether Sira may call her back now (pure; the service gathers the facts). A return call rings a phone
 * someone else may answer and costs the programme money, so it is refused outside the call hours
 * (Africa/Bamako), past the day's caps, to a number outside the served countries, and — always — to a
 * number that said STOP on any channel.
 */
export type ReturnCallRefusal = 'country' | 'stopped' | 'hours' | 'cap';

export interface ReturnCallFacts {
  /** minutes since local midnight, Africa/Bamako. */
  minuteOfDay: number;
  /** `HH:MM-HH:MM`. */
  hours: string;
  servedCountry: boolean;
  optedOutSomewhere: boolean;
  callsToday: number;
  secondsToday: number;
  dailyCalls: number;
  dailyMinutes: number;
}

export function returnCallRefusal(f: ReturnCallFacts): ReturnCallRefusal | null {
  if (!f.servedCountry) return 'country';
  if (f.optedOutSomewhere) return 'stopped';
  if (!withinHours(f.minuteOfDay, f.hours)) return 'hours';
  if (f.callsToday >= f.dailyCalls || f.secondsToday >= f.dailyMinutes * 60) return 'cap';
  return null;
}

export function withinHours(minuteOfDay: number, hours: string): boolean {
  const [from, to] = hours.split('-').map((hm) => {
    const [h, m] = hm.split(':').map(Number);
    return h * 60 + m;
  });
  return minuteOfDay >= from && minuteOfDay < to;
}
