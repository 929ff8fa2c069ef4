import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { PasswordHasher, passwordProblem } from './password.hasher';
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

  /** The active account whose password matches, or undefined (as slow for an unknown e-mail). */
  async authenticate(email: string, password: string): Promise<StaffUser | undefined> {
    const [row] = await this.db.select().from(staffUsers).where(eq(staffUsers.email, emailKey(email)));
    const ok = await this.hasher.verify(row?.passwordHash, password);
    return ok && row && row.active ? toStaffUser(row) : undefined;
  }
}

export function toStaffUser(row: StaffUserRow): StaffUser {
  const { passwordHash: _hash, ...rest } = row;
  return rest;
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
  if (!(STAFF_ROLES as readonly string[]).includes(role)) throw new StaffInputError('role: agent, supervisor or admin');
  return role as T & (typeof STAFF_ROLES)[number];
}

function checkLanguages(languages: string[]): string[] {
  const clean = [...new Set(languages.map((l) => l.trim().toLowerCase()).filter(Boolean))];
  if (clean.some((l) => !/^[a-z]{2,3}$/.test(l))) throw new StaffInputError('languages: codes such as fr, bm, en');
  return clean;
}
