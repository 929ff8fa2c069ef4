import type { Config } from '../config/config';
import { parseStaffHours, type StaffHours } from './call-windows';

/** Injection token of the callback module's timings (tests shorten the watch interval). */
export const CALLBACK_SETTINGS = Symbol('CALLBACK_SETTINGS');

export interface CallbackSettings {
  staffHours: StaffHours;
  urgentEscalateMs: number;
  escalateMs: number;
  claimTtlMs: number;
  maxAttempts: number;
  /** how often the rebuild watch checks that Redis still holds its marker (a flush empties it). */
  watchIntervalMs: number;
  /** sweep cron, Africa/Bamako time. */
  sweepPattern: string;
}

export function callbackSettings(config: Pick<Config, 'callbacks'>): CallbackSettings {
  const c = config.callbacks;
  return {
    staffHours: parseStaffHours(c.staffHours, c.staffDays),
    urgentEscalateMs: c.urgentEscalateMs,
    escalateMs: c.escalateMs,
    claimTtlMs: c.claimTtlMs,
    maxAttempts: c.maxAttempts,
    watchIntervalMs: 30_000,
    sweepPattern: '*/15 * * * *',
  };
}
