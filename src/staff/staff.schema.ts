import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * agent ⊂ supervisor ⊂ admin call women back; `translator` stands apart: it records and reviews the
 * spoken prompts of its languages (`languages`) and reaches nothing else (docs/staff-roles.md).
 */
export const STAFF_ROLES = ['agent', 'supervisor', 'admin', 'translator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * People who call women back. Never deleted (the audit log names them): an admin deactivates an
 * account, which also ends its sessions. The password is an argon2id hash.
 */
export const staffUsers = pgTable(
  'staff_users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** lower-cased. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role').$type<StaffRole>().notNull(),
    /** language codes she or he can call in (fr, bm, en, …): "take next" only offers these; a translator's: the languages she records and reviews. */
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    active: boolean('active').notNull().default(true),
    /** set by an admin's password reset: the next sign-in goes to the password change first. */
    passwordChangeRequired: boolean('password_change_required').notNull().default(false),
    /** the TOTP secret (RFC 6238) under the address cipher, bound to this row; null = not enrolled. */
    totpSecretEnc: text('totp_secret_enc'),
    totpSecretKeyId: text('totp_secret_key_id'),
    totpEnabledAt: timestamptz('totp_enabled_at'),
    /** the last TOTP time step accepted: a code is accepted once (only later steps pass). */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    /** her own phone (E.164) for calls through Sira, under the address cipher bound to this row; null = none. */
    phoneEnc: text('phone_enc'),
    phoneKeyId: text('phone_key_id'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('staff_users_email_key').on(t.email),
    check('staff_users_role_check', sql`${t.role} in ('agent', 'supervisor', 'admin', 'translator')`),
  ],
);

export const SIGN_IN_STAGES = ['full', 'code', 'password', 'enrol'] as const;
/**
 * How far a session is through sign-in: `full` may use the dashboard; `code` has given the password and
 * owes a second-factor code; `password` must change a reset password; `enrol` must enrol a second factor.
 */
export type SignInStage = (typeof SIGN_IN_STAGES)[number];

/** A login. The cookie holds a random token; only its SHA-256 is stored, so a database dump opens no session. */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    /** the session's public id (the account page ends a session by it; the token hash never leaves). */
    id: uuid('id').notNull().defaultRandom(),
    stage: text('stage').$type<SignInStage>().notNull().default('full'),
    /** browser and system family only ("Firefox · Linux"), never the full user agent. */
    userAgent: text('user_agent'),
    /** the client address with its last part hidden (192.0.2.x), never the full address. */
    addressHint: text('address_hint'),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    /** absolute end, whatever the activity. */
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    index('staff_sessions_user_idx').on(t.userId),
    uniqueIndex('staff_sessions_id_key').on(t.id),
    check('staff_sessions_stage_check', sql`${t.stage} in ('full', 'code', 'password', 'enrol')`),
  ],
);

/** Single-use recovery codes of a second factor: argon2id hashes only, shown once at enrolment. */
export const staffRecoveryCodes = pgTable(
  'staff_recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamptz('used_at'),
  },
  (t) => [index('staff_recovery_codes_user_idx').on(t.userId)],
);

/**
 * What staff did that touches her privacy or the queue: every reveal of a number, every export, logins,
 * claims, outcomes, reassignments, account changes. Holds ids and kinds only — never a number or a note.
 * No foreign key to the request: the record of a reveal outlives her erasure.
 */
export const staffAuditLog = pgTable(
  'staff_audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamptz('at').notNull(),
    /** null for a failed login on an unknown account. */
    staffId: uuid('staff_id'),
    action: text('action').notNull(),
    requestId: uuid('request_id'),
    detail: jsonb('detail').$type<Record<string, string | number | boolean>>().notNull().default({}),
  },
  (t) => [index('staff_audit_log_at_idx').on(t.at), index('staff_audit_log_request_idx').on(t.requestId)],
);

export type StaffUserRow = typeof staffUsers.$inferSelect;
export type StaffAuditRow = typeof staffAuditLog.$inferSelect;
