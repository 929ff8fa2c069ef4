import type { StaffRole } from './staff.schema';

export type { StaffRole } from './staff.schema';

/** A staff account as the application sees it: never the password hash. */
export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: StaffRole;
  languages: string[];
  active: boolean;
  /** an admin reset the password: the next sign-in changes it first. */
  passwordChangeRequired: boolean;
  /** a TOTP second factor is enrolled. */
  secondFactorEnabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewStaffUser {
  email: string;
  displayName: string;
  password: string;
  role: StaffRole;
  languages: string[];
}

export interface StaffUserChanges {
  displayName?: string;
  role?: StaffRole;
  languages?: string[];
  active?: boolean;
  password?: string;
  /** with `password`: the account must change it at its next sign-in (an admin's reset). */
  passwordChangeRequired?: boolean;
}

/** Thrown for input a person must correct (shown to them; never contains a secret). */
export class StaffInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaffInputError';
  }
}
