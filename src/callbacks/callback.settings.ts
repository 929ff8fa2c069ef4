import type { Config } from '../config/config';
import { offeredChoiceFacts, offeredDaySets, offeredParts, parseStaffHours, type StaffHours } from './call-windows';

/** Injection token of the callback module's timings (tests shorten the watch interval). */
export const CALLBACK_SETTINGS = Symbol('CALLBACK_SETTINGS');

export interface CallbackSettings {
  staffHours: StaffHours;
  /** engine facts showing only the call windows and days staff hours cover (see offeredChoiceFacts). */
  offeredChoices: Record<string, string>;
  /**
   * what the privacy notices say about keeping (engine facts, read as message params): `kept_days`
   * (RETENTION_CLOSED_CALLBACK_DAYS) and `unfinished_minutes` (RETENTION_ABANDONED_MINUTES), so the
   * words always match the configured retention.
   */
  noticeFacts: { kept_days: string; unfinished_minutes: string };
  urgentEscalateMs: number;
  escalateMs: number;
  claimTtlMs: number;
  maxAttempts: number;
  /** how often the rebuild watch checks that Redis still holds its marker (a flush empties it). */
  watchIntervalMs: number;
  /** sweep cron, Africa/Bamako time. */
  sweepPattern: string;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** the defaults of RETENTION_CLOSED_CALLBACK_DAYS / RETENTION_ABANDONED_MINUTES when no privacy config is given. */
const DEFAULT_RETENTION = { closedCallbackRequestsMs: 90 * DAY_MS, abandonedMs: 60 * MINUTE_MS };

export function callbackSettings(config: Pick<Config, 'callbacks'> & Partial<Pick<Config, 'privacy'>>): CallbackSettings {
  const retention = config.privacy?.retention;
  const c = config.callbacks;
  const staffHours = parseStaffHours(c.staffHours, c.staffDays);
  return {
    staffHours,
    offeredChoices: offeredChoicesOrThrow(staffHours),
    noticeFacts: retentionNoticeFacts(retention),
    urgentEscalateMs: c.urgentEscalateMs,
    escalateMs: c.escalateMs,
    claimTtlMs: c.claimTtlMs,
    maxAttempts: c.maxAttempts,
    watchIntervalMs: 30_000,
    sweepPattern: '*/15 * * * *',
  };
}

/** What the notices say is kept and for how long (the defaults when no retention is configured). */
export function retentionNoticeFacts(retention: { closedCallbackRequestsMs: number; abandonedMs: number } = DEFAULT_RETENTION): CallbackSettings['noticeFacts'] {
  return {
    kept_days: String(Math.round(retention.closedCallbackRequestsMs / DAY_MS)),
    unfinished_minutes: String(Math.round(retention.abandonedMs / MINUTE_MS)),
  };
}

/**
 * A schedule that covers no part of day or no set of days would leave her a question without a
 * truthful answer: the service refuses to start and names the variables .
 */
function offeredChoicesOrThrow(staff: StaffHours): Record<string, string> {
  if (offeredParts([staff]).length === 0) {
    throw new Error('CALLBACK_STAFF_HOURS covers none of the call windows offered (08:00-12:00, 12:00-17:00, 17:00-20:00)');
  }
  if (offeredDaySets([staff]).length === 0) {
    throw new Error('CALLBACK_STAFF_DAYS covers none of the day choices offered (1-5, 6-7, 1-6 or 1-7)');
  }
  return offeredChoiceFacts([staff]);
}
