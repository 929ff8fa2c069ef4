import { localDay } from '../callbacks/call-windows';

/** Broadcast hours are Bamako's (UTC+0 all year, no daylight saving). */
export const BROADCAST_TIME_ZONE = 'Africa/Bamako';

function minutesOf(hours: string): [number, number] {
  const [from, to] = hours.split('-').map((hm) => {
    const [h, m] = hm.split(':').map(Number);
    return h! * 60 + m!;
  });
  return [from!, to!];
}

/** Inside BROADCAST_HOURS at `instant`. */
export function withinBroadcastHours(instant: number, hours: string): boolean {
  const [from, to] = minutesOf(hours);
  const minute = Math.floor((instant - localDay(instant, BROADCAST_TIME_ZONE).midnight) / 60_000);
  return minute >= from && minute < to;
}

/** The first instant at or after `instant` inside BROADCAST_HOURS. */
export function nextBroadcastOpening(instant: number, hours: string): number {
  if (withinBroadcastHours(instant, hours)) return instant;
  const [from] = minutesOf(hours);
  const today = localDay(instant, BROADCAST_TIME_ZONE).midnight + from * 60_000;
  if (today > instant) return today;
  // the next local day's opening (24 h later: Bamako has no daylight saving)
  return localDay(instant + 86_400_000, BROADCAST_TIME_ZONE).midnight + from * 60_000;
}

/** When today's hours close (the instant the last one ends), for an instant inside them. */
export function broadcastClosing(instant: number, hours: string): number {
  const [, to] = minutesOf(hours);
  return localDay(instant, BROADCAST_TIME_ZONE).midnight + to * 60_000;
}

/** The broadcast budget's day: Bamako's date. */
export function bamakoDay(instant: number): string {
  return new Date(localDay(instant, BROADCAST_TIME_ZONE).midnight).toISOString().slice(0, 10);
}

/** Minutes of sending in one day. */
export function broadcastMinutesPerDay(hours: string): number {
  const [from, to] = minutesOf(hours);
  return Math.max(0, to - from);
}
