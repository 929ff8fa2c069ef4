import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gt, lt, ne, or } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { stageAfterCode } from './sign-in-stage';
import { toStaffUser } from './staff-users.repository';
import { staffSessions, staffUsers, type SignInStage } from './staff.schema';
import type { StaffUser } from './staff.types';

/** Touching `last_seen_at` on every request would write on every page view; once a minute is enough. */
const TOUCH_AFTER_MS = 60_000;
/** A sign-in half done (password given, code owed) lasts this long. */
const PENDING_CODE_MS = 10 * 60_000;

/** Where a session was opened from, as much as is kept: families and a partial address. */
export interface SessionOrigin {
  userAgent?: string;
  addressHint?: string;
}

export interface LiveSession {
  staff: StaffUser;
  /** the session's public id. */
  id: string;
  stage: SignInStage;
  tokenHash: string;
}

export interface SessionSummary {
  id: string;
  stage: SignInStage;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  addressHint: string | null;
}

/**
 * Staff sessions in PostgreSQL (they must survive a Redis flush, and a deactivation must end them at
 * once). The cookie carries 32 random bytes; the table only their SHA-256. A session moves through the
 * sign-in stages by being replaced with a new token (no token outlives a change of what it may do).
 */
@Injectable()
export class StaffSessionsRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new session for `userId` at `stage`; returns the token for the cookie. */
  async open(userId: string, stage: SignInStage = 'full', origin: SessionOrigin = {}): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date(this.clock.now());
    const lifetime = stage === 'code' ? PENDING_CODE_MS : this.config.staff.sessionMaxMs;
    await this.db.insert(staffSessions).values({
      tokenHash: hashToken(token),
      userId,
      stage,
      userAgent: origin.userAgent?.slice(0, 80) ?? null,
      addressHint: origin.addressHint?.slice(0, 60) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetime),
    });
    await this.db.delete(staffSessions).where(or(lt(staffSessions.expiresAt, now), lt(staffSessions.lastSeenAt, this.idleCutoff(now))));
    return token;
  }

  /** Replaces the session of `token` with a new one at `stage` (same origin); returns the new token. */
  async advance(token: string, stage: SignInStage): Promise<string | undefined> {
    const [row] = await this.db.delete(staffSessions).where(eq(staffSessions.tokenHash, hashToken(token))).returning();
    if (!row) return undefined;
    return this.open(row.userId, stage, { userAgent: row.userAgent ?? undefined, addressHint: row.addressHint ?? undefined });
  }

  /** The live session of `token` and its active account, or undefined (expired, idle, deactivated, unknown). */
  async resolveSession(token: string | undefined): Promise<LiveSession | undefined> {
    if (!token || token.length > 100) return undefined;
    const now = new Date(this.clock.now());
    const tokenHash = hashToken(token);
    const [found] = await this.db
      .select({ user: staffUsers, id: staffSessions.id, stage: staffSessions.stage, lastSeenAt: staffSessions.lastSeenAt })
      .from(staffSessions)
      .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
      .where(and(eq(staffSessions.tokenHash, tokenHash), gt(staffSessions.expiresAt, now), gt(staffSessions.lastSeenAt, this.idleCutoff(now))));
    if (!found || !found.user.active) return undefined;
    if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await this.db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.tokenHash, tokenHash));
    }
    const staff = toStaffUser(found.user);
    // a full session of an account whose role now needs a second factor it lacks can only enrol
    const stage = found.stage === 'full' ? stageAfterCode(staff, this.config.staff.twoFactorRequiredRoles) : found.stage;
    return { staff, id: found.id, stage, tokenHash };
  }

  /** The signed-in account of a fully signed-in session, or undefined. */
  async resolve(token: string | undefined): Promise<StaffUser | undefined> {
    const live = await this.resolveSession(token);
    return live?.stage === 'full' ? live.staff : undefined;
  }

  async close(token: string | undefined): Promise<void> {
    if (token) await this.db.delete(staffSessions).where(eq(staffSessions.tokenHash, hashToken(token)));
  }

  /** The account's open sessions, the most recently used first. */
  async listFor(userId: string): Promise<SessionSummary[]> {
    const now = new Date(this.clock.now());
    return this.db
      .select({
        id: staffSessions.id,
        stage: staffSessions.stage,
        createdAt: staffSessions.createdAt,
        lastSeenAt: staffSessions.lastSeenAt,
        userAgent: staffSessions.userAgent,
        addressHint: staffSessions.addressHint,
      })
      .from(staffSessions)
      .where(and(eq(staffSessions.userId, userId), gt(staffSessions.expiresAt, now), gt(staffSessions.lastSeenAt, this.idleCutoff(now))))
      .orderBy(desc(staffSessions.lastSeenAt));
  }

  /** Ends one session of `userId` by its public id; false when it is not one of theirs. */
  async end(userId: string, sessionId: string): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return false;
    const ended = await this.db
      .delete(staffSessions)
      .where(and(eq(staffSessions.userId, userId), eq(staffSessions.id, sessionId)))
      .returning({ id: staffSessions.id });
    return ended.length === 1;
  }

  /** Ends every session of `userId` (but the one whose token hash is `except`); returns how many. */
  async endAll(userId: string, except?: string): Promise<number> {
    const where = except ? and(eq(staffSessions.userId, userId), ne(staffSessions.tokenHash, except)) : eq(staffSessions.userId, userId);
    return (await this.db.delete(staffSessions).where(where).returning({ id: staffSessions.id })).length;
  }

  private idleCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.staff.sessionIdleMs);
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
