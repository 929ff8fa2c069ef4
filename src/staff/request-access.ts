import { isCallableAt, type CallbackRequest, type StaffHours } from '../callbacks';
import { isCaller, isSupervisor } from './staff-access';
import type { StaffUser } from './staff.types';

/**
 * THE rule of who may see and do what with one callback request (docs/staff-roles.md, "Which requests").
 * Pure: every path to a request — the queue (pages and API), reading it with its history and outcome
 * notes, claim, reveal, outcome, release — asks these functions and nothing else.
 *
 * - Supervisors and admins see and act on every request.
 * - An agent sees only the requests in her call languages (`staff.languages`), plus any she holds now
 *   (a supervisor may have given it to her). A request she may not see is, to her, unknown: 404.
 * - She claims only a waiting request that is callable now (her window and staff hours: the test
 *   "take next" uses); a request a supervisor assigned to her she already holds.
 * - She reveals, records an outcome on, or releases only a request she holds.
 */

export type RequestViewer = Pick<StaffUser, 'id' | 'role' | 'languages'>;
type Req = Pick<CallbackRequest, 'status' | 'claimedBy' | 'callLanguage'>;

/** What the caller is refused: `hidden` → 404 (as unknown), `not_callable` → 409, `not_holder` → 403. */
export type AccessDecision = { ok: true } | { ok: false; reason: 'hidden' | 'not_callable' | 'not_holder' };

const OK: AccessDecision = { ok: true };

/** "Callable now": waiting, and inside her window and staff hours at `now` (the take-next test). */
export function isCallableNow(req: Pick<CallbackRequest, 'status' | 'windows'>, staffHours: StaffHours, now: number): boolean {
  return req.status === 'pending' && isCallableAt(req.windows, staffHours, now);
}

/** She holds it: claimed, by her. */
export function holds(staff: Pick<StaffUser, 'id'>, req: Pick<CallbackRequest, 'status' | 'claimedBy'>): boolean {
  return req.status === 'claimed' && req.claimedBy === staff.id;
}

/** May `staff` know this request exists (read it, its history and notes)? */
export function maySee(staff: RequestViewer, req: Req): boolean {
  return isSupervisor(staff) || holds(staff, req) || staff.languages.includes(req.callLanguage);
}

/** Is it a line of her queue? What she may see, less what colleagues hold (supervisors: everything). */
export function listedInQueue(staff: RequestViewer, req: Req): boolean {
  if (isSupervisor(staff)) return true;
  return maySee(staff, req) && (req.status !== 'claimed' || req.claimedBy === staff.id);
}

/** May she take it? (`callableNow` from isCallableNow.) Whether it is still waiting is the claim's own test. */
export function mayClaim(staff: RequestViewer, req: Req, callableNow: boolean): AccessDecision {
  if (!maySee(staff, req)) return { ok: false, reason: 'hidden' };
  if (isSupervisor(staff) || holds(staff, req)) return OK;
  if (req.status === 'pending' && !callableNow) return { ok: false, reason: 'not_callable' };
  return OK;
}

/** Reveal, record an outcome, release: the holder, or a supervisor. */
export function mayActOn(staff: RequestViewer, req: Req): AccessDecision {
  if (!maySee(staff, req)) return { ok: false, reason: 'hidden' };
  if (isSupervisor(staff) || holds(staff, req)) return OK;
  return { ok: false, reason: 'not_holder' };
}

/** May a supervisor give it to `target`? An agent only gets requests in her languages. */
export function mayBeGiven(target: RequestViewer, req: Req): boolean {
  if (!isCaller(target)) return false; // a translator's languages are the ones she records, not calls in
  return isSupervisor(target) || target.languages.includes(req.callLanguage);
}
