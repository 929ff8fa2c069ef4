import { nextWindowAfter } from './call-windows';
import { callbackJobId, CallbackJobName, type PlannedJob } from './callback-jobs';
import type { CallbackSettings } from './callback.settings';
import type { CallbackRequest } from './callback.types';

/** When her windows never meet staff hours, a retry still comes back (staff see it) after a day. */
const RETRY_FALLBACK_MS = 24 * 3_600_000;

/**
 * The jobs an open request should have in Redis at `now`, derived from its row alone: the same
 * answer at creation, after a transition and in a rebuild, so re-adding them (same deterministic
 * ids) never makes a second one. Work already done (notified, escalated) is not planned again.
 */
export function planJobs(req: CallbackRequest, settings: CallbackSettings, now: number): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  const job = (name: CallbackJobName, attempt: number, at: number) =>
    jobs.push({ name, id: callbackJobId(name, req.id, attempt), delayMs: Math.max(0, at - now), data: { requestId: req.id, attempt } });
  switch (req.status) {
    case 'pending':
      if (!req.notifiedAt) job(CallbackJobName.NotifyStaff, req.attempt, now);
      if (!req.escalatedAt) job(CallbackJobName.Escalate, req.attempt, escalateAt(req, settings));
      break;
    case 'claimed':
      if (req.claimedAt) job(CallbackJobName.ExpireClaim, req.claims, req.claimedAt.getTime() + settings.claimTtlMs);
      break;
    case 'no_answer':
      job(CallbackJobName.Retry, req.attempt, retryAt(req, settings));
      break;
    default:
      break; // closed: nothing left to do
  }
  return jobs;
}

/** Urgent: waiting longer than the urgent limit (1 h by default); any: longer than the general one (48 h). */
export function escalateAt(req: Pick<CallbackRequest, 'urgent' | 'dueAt'>, settings: CallbackSettings): number {
  return req.dueAt.getTime() + (req.urgent ? settings.urgentEscalateMs : settings.escalateMs);
}

/** The start of her next safe window after the unanswered call (recorded as `updatedAt`). */
export function retryAt(req: Pick<CallbackRequest, 'windows' | 'updatedAt'>, settings: CallbackSettings): number {
  const from = req.updatedAt.getTime();
  return nextWindowAfter(req.windows, settings.staffHours, from) ?? from + RETRY_FALLBACK_MS;
}
