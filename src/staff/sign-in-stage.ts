import { ForbiddenException } from '@nestjs/common';
import type { SignInStage } from './staff.schema';
import type { StaffRole, StaffUser } from './staff.types';

export type { SignInStage } from './staff.schema';

/** The page each unfinished stage of sign-in sends the browser to. */
export const STAGE_PAGES: Record<SignInStage, string> = {
  full: '/staff/queue',
  code: '/staff/login/code',
  password: '/staff/account/password',
  enrol: '/staff/account/second-factor',
};

/** Where a session goes at `stage`: once signed in fully, a translator's home is the recordings page. */
export function pageAfterSignIn(stage: SignInStage, role: StaffRole): string {
  return stage === 'full' && role === 'translator' ? '/staff/recordings' : STAGE_PAGES[stage];
}

/**
 * Where sign-in goes once the password (and a code, if enrolled) is given: a reset password is
 * changed first, then a required second factor is enrolled, then the dashboard.
 */
export function stageAfterCode(staff: Pick<StaffUser, 'passwordChangeRequired' | 'secondFactorEnabled' | 'role'>, required: readonly StaffRole[]): SignInStage {
  if (staff.passwordChangeRequired) return 'password';
  if (required.includes(staff.role) && !staff.secondFactorEnabled) return 'enrol';
  return 'full';
}

/**
 * A session that may not use this route yet (it owes a code, a new password or an enrolment): pages
 * are sent on to `next`, the API answers 403 with it.
 */
export class SignInIncompleteException extends ForbiddenException {
  constructor(readonly stage: SignInStage) {
    super({ statusCode: 403, message: `finish signing in first (${STAGE_MESSAGES[stage]})`, next: STAGE_PAGES[stage] });
  }

  get next(): string {
    return STAGE_PAGES[this.stage];
  }
}

const STAGE_MESSAGES: Record<SignInStage, string> = {
  full: 'signed in',
  code: 'give the code of your authenticator app',
  password: 'change your password',
  enrol: 'enrol a second factor: your role requires one',
};
