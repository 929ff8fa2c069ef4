import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, ne } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { PasswordHasher } from './password.hasher';
import { passwordProblem } from './password-policy';
import { staffSessions, staffUsers, STAFF_ROLES, type StaffUserRow } from './staff.schema';
import { StaffInputError, type NewStaffUser, type StaffUser, type StaffUserChanges } from './staff.types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Staff accounts in PostgreSQL. E-mails are stored lower-cased; hashes never leave this class. */
@Injectable()
export class StaffUsersRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(input: NewStaffUser): Promise<StaffUser> {
    const email = checkEmail(input.email);
    checkRole(input.role);
    const problem = passwordProblem(input.password);
    if (problem) throw new StaffInputError(`password: ${problem}`);
    const now = new Date(this.clock.now());
    const [row] = await this.db
      .insert(staffUsers)
      .values({
        email,
        displayName: checkName(input.displayName),
        passwordHash: await this.hasher.hash(input.password),
        role: input.role,
        languages: checkLanguages(input.languages),
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: staffUsers.email })
      .returning();
    if (!row) throw new StaffInputError('an account with this e-mail already exists');
    return toStaffUser(row);
  }

  async update(id: string, changes: StaffUserChanges): Promise<StaffUser | undefined> {
    // not an id at all (found by the fuzzer: PATCH /staff/api/users/<zero-width spaces> answered 500)
    if (!isUuid(id)) return undefined;
    const set: Partial<typeof staffUsers.$inferInsert> = { updatedAt: new Date(this.clock.now()) };
    if (changes.displayName !== undefined) set.displayName = checkName(changes.displayName);
    if (changes.role !== undefined) set.role = checkRole(changes.role);
    if (changes.languages !== undefined) set.languages = checkLanguages(changes.languages);
    if (changes.active !== undefined) set.active = changes.active;
    if (changes.password !== undefined) {
      const problem = passwordProblem(changes.password);
      if (problem) throw new StaffInputError(`password: ${problem}`);
      set.passwordHash = await this.hasher.hash(changes.password);
      set.passwordChangeRequired = changes.passwordChangeRequired ?? false;
    }
    return this.db.transaction(async (tx) => {
      const [row] = await tx.update(staffUsers).set(set).where(eq(staffUsers.id, id)).returning();
      // a deactivated account or a new password ends every open session of that account
      if (row && (changes.active === false || changes.password !== undefined)) await tx.delete(staffSessions).where(eq(staffSessions.userId, id));
      return row ? toStaffUser(row) : undefined;
    });
  }

  async findById(id: string): Promise<StaffUser | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.id, id));
    return row ? toStaffUser(row) : undefined;
  }

  async findByEmail(email: string): Promise<StaffUser | undefined> {
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.email, emailKey(email)));
    return row ? toStaffUser(row) : undefined;
  }

  async list(): Promise<StaffUser[]> {
    return (await this.db.select().from(staffUsers).orderBy(asc(staffUsers.displayName))).map(toStaffUser);
  }

  /** id → display name, for pages that name who did what. */
  async names(): Promise<Map<string, string>> {
    return new Map((await this.list()).map((u) => [u.id, u.displayName]));
  }

  /**
   * The account's own password change: the current password must match; every other session of the
   * account ends (`keepSession`: the token hash of the one making the change).
   */
  async changeOwnPassword(id: string, current: string, next: string, keepSession: string): Promise<'changed' | 'wrong_password'> {
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.id, id));
    if (!row || !(await this.hasher.verify(row.passwordHash, current))) return 'wrong_password';
    if (current === next) throw new StaffInputError('password: choose a password different from the current one');
    const problem = passwordProblem(next);
    if (problem) throw new StaffInputError(`password: ${problem}`);
    const passwordHash = await this.hasher.hash(next);
    await this.db.transaction(async (tx) => {
      await tx.update(staffUsers).set({ passwordHash, passwordChangeRequired: false, updatedAt: new Date(this.clock.now()) }).where(eq(staffUsers.id, id));
      await tx.delete(staffSessions).where(and(eq(staffSessions.userId, id), ne(staffSessions.tokenHash, keepSession)));
    });
    return 'changed';
  }

  /** The active account whose password matches, or undefined (as slow for an unknown e-mail). */
  async authenticate(email: string, password: string): Promise<StaffUser | undefined> {
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.email, emailKey(email)));
    const ok = await this.hasher.verify(row?.passwordHash, password);
    return ok && row && row.active ? toStaffUser(row) : undefined;
  }
}

/** The account as the application sees it: no password hash, no second-factor secret. */
export function toStaffUser(row: StaffUserRow): StaffUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    languages: row.languages,
    active: row.active,
    passwordChangeRequired: row.passwordChangeRequired,
    secondFactorEnabled: row.totpSecretEnc !== null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

function checkEmail(email: string): string {
  const clean = email.trim().toLowerCase();
  if (!EMAIL.test(clean) || clean.length > 254) throw new StaffInputError('e-mail: not a valid address');
  return clean;
}

/**
 * The e-mail as looked up. PostgreSQL refuses NUL in text (found by the fuzzer: a login with "\u0000"
 * answered 500); U+FFFD instead can match no stored, checked address.
 */
function emailKey(email: string): string {
  return email.trim().toLowerCase().replace(/\u0000/g, '\uFFFD');
}

function checkName(name: string): string {
  const clean = name.trim();
  if (!clean || clean.length > 80 || clean.includes('\u0000')) throw new StaffInputError('name: 1 to 80 characters');
  return clean;
}

function checkRole<T extends string>(role: T): T & (typeof STAFF_ROLES)[number] {
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new StaffInputError('role: agent, supervisor, admin or translator');
  return role as T & (typeof STAFF_ROLES)[number];
}

function checkLanguages(languages: string[]): string[] {
  const clean = [...new Set(languages.map((l) => l.trim().toLowerCase()).filter(Boolean))];
  if (clean.some((l) => !/^[a-z]{2,3}$/.test(l))) throw new StaffInputError('languages: codes such as fr, bm, en');
  return clean;
}
