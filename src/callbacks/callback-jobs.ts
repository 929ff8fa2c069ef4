/**
 * Every queue and job name of the callback module, in one place. Names never contain ':' (BullMQ's
 * own key separator); job names double as the `<kind>` of job ids `<kind>-<request id>-<attempt>`.
 */
export enum CallbackQueueName {
  Callbacks = 'callbacks',
}

export enum CallbackJobName {
  /** tell staff a request is waiting (dashboard, optional staff Telegram chat). */
  NotifyStaff = 'notify-staff',
  /** an urgent request waiting too long, or any request after the general limit. */
  Escalate = 'escalate',
  /** after "no answer": back to the queue at the start of her next safe window. */
  Retry = 'retry',
  /** a claim nobody resolved in time returns to the queue. */
  ExpireClaim = 'expire-claim',
  /** recurring (job scheduler): re-create any job an open request should have and Redis lacks. */
  Sweep = 'sweep',
}

export const CALLBACK_JOB_NAMES: readonly CallbackJobName[] = Object.values(CallbackJobName);

/** Payloads hold ids and counters only: never a number, a name or anything she wrote. */
export interface CallbackJobData {
  requestId?: string;
  /** the request's attempt (notify, escalate, retry) or claim count (expire-claim) the job belongs to. */
  attempt?: number;
}

export const SWEEP_SCHEDULER_ID = 'callback-sweep';

export function callbackJobId(kind: CallbackJobName, requestId: string, attempt: number): string {
  return `${kind}-${requestId}-${attempt}`;
}

/** A job an open request should have in Redis right now. */
export interface PlannedJob {
  name: CallbackJobName;
  id: string;
  delayMs: number;
  data: CallbackJobData;
}

/**
 * Checked at start-up: every job name has exactly one handler and every handler a job name, so a job
 * can never sit in Redis with nobody to run it.
 */
export function assertOneHandlerPerJob(handlers: Record<string, unknown>): void {
  const names = new Set<string>(CALLBACK_JOB_NAMES);
  const missing = CALLBACK_JOB_NAMES.filter((n) => typeof handlers[n] !== 'function');
  const unknown = Object.keys(handlers).filter((k) => !names.has(k));
  if (missing.length || unknown.length) {
    throw new Error(`callback job handlers: missing [${missing.join(', ')}], unknown [${unknown.join(', ')}]`);
  }
}
