import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { SignInStage } from './sign-in-stage';
import type { LiveSession } from './staff-sessions.repository';
import type { StaffRole, StaffUser } from './staff.types';

/** Metadata key of a route's access rule; a staff route without one is refused to everyone. */
export const STAFF_ACCESS = 'sira:staff-access';

export type StaffAccess = 'public' | readonly StaffRole[];

/**
 * The roles that call women back (agent ⊂ supervisor ⊂ admin): the queue and the requests. Not the
 * translators — a route meant for them names them (EVERY_ACCOUNT, RECORDERS), so a new route written
 * with ANY_STAFF stays closed to them.
 */
export const ANY_STAFF: readonly StaffRole[] = ['agent', 'supervisor', 'admin'];
export const SUPERVISORS: readonly StaffRole[] = ['supervisor', 'admin'];
export const ADMINS: readonly StaffRole[] = ['admin'];
/** Every account, translators included: its own account page, sign-in stages, logout. */
export const EVERY_ACCOUNT: readonly StaffRole[] = [...ANY_STAFF, 'translator'];
/** The recordings pages: translators (their languages) and admins (every language). */
export const RECORDERS: readonly StaffRole[] = ['translator', 'admin'];

/** The roles that may use a route (checked on the server by StaffGuard; see docs/staff-roles.md). */
export const Allow = (roles: readonly StaffRole[]) => SetMetadata(STAFF_ACCESS, roles);
/** A route anyone may reach (login page, stylesheet, OpenAPI document): still CSRF-checked when it changes state. */
export const Public = () => SetMetadata(STAFF_ACCESS, 'public');

/** Metadata key of the unfinished sign-in stages a route also serves (by default only `full`). */
export const STAFF_STAGES = 'sira:staff-stages';
/** A route a session may use before sign-in is finished (the code, password and enrolment pages, logout). */
export const AlsoAt = (...stages: SignInStage[]) => SetMetadata(STAFF_STAGES, ['full', ...stages]);

export interface StaffRequest extends Request {
  staff?: StaffUser;
  /** the session's stage and ids, set with `staff`. */
  staffSession?: LiveSession;
  cookies: Record<string, string | undefined>;
}

/** The signed-in staff member (set by StaffGuard on every non-public route). */
export const CurrentStaff = createParamDecorator((_data: unknown, ctx: ExecutionContext): StaffUser => {
  const staff = ctx.switchToHttp().getRequest<StaffRequest>().staff;
  if (!staff) throw new Error('CurrentStaff on a route without a signed-in staff member');
  return staff;
});

/** Supervisors and admins see and act on every request; agents on the ones they hold. */
export function isSupervisor(staff: Pick<StaffUser, 'role'>): boolean {
  return SUPERVISORS.includes(staff.role);
}

/** Agents, supervisors and admins: the accounts that may hold a request. */
export function isCaller(staff: Pick<StaffUser, 'role'>): boolean {
  return ANY_STAFF.includes(staff.role);
}

/** May `staff` record and review prompts in `language`? Admins: every language; translators: theirs. */
export function mayRecord(staff: Pick<StaffUser, 'role' | 'languages'>, language: string): boolean {
  return staff.role === 'admin' || (staff.role === 'translator' && staff.languages.includes(language));
}
