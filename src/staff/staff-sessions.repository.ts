import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { and, eq, gt, lt, or } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { toStaffUser } from './staff-users.repository';
import { staffSessions, staffUsers } from './staff.schema';
import type { StaffUser } from './staff.types';

/** Touching `last_seen_at` on every request would write on every page view; once a minute is enough. */
const TOUCH_AFTER_MS = 60_000;

/**
 * Staff sessions in PostgreSQL (they must survive a Redis flush, and a deactivation must end them at
 * once). The cookie carries 32 random bytes; the table only their SHA-256.
 */
@Injectable()
export class StaffSessionsRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new session for `userId`; returns the token for the cookie. */
  async open(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date(this.clock.now());
    await this.db.insert(staffSessions).values({
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.staff.sessionMaxMs),
    });
    await this.db.delete(staffSessions).where(or(lt(staffSessions.expiresAt, now), lt(staffSessions.lastSeenAt, this.idleCutoff(now))));
    return token;
  }

  /** The active user of a live session, or undefined (expired, idle too long, deactivated, unknown). */
  async resolve(token: string | undefined): Promise<StaffUser | undefined> {
    if (!token || token.length > 100) return undefined;
    const now = new Date(this.clock.now());
    const tokenHash = hashToken(token);
    const [found] = await this.db
      .select({ user: staffUsers, lastSeenAt: staffSessions.lastSeenAt })
      .from(staffSessions)
      .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.userId))
      .where(and(eq(staffSessions.tokenHash, tokenHash), gt(staffSessions.expiresAt, now), gt(staffSessions.lastSeenAt, this.idleCutoff(now))));
    if (!found || !found.user.active) return undefined;
    if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await this.db.update(staffSessions).set({ lastSeenAt: now }).where(eq(staffSessions.tokenHash, tokenHash));
    }
    return toStaffUser(found.user);
  }

  async close(token: string | undefined): Promise<void> {
    if (token) await this.db.delete(staffSessions).where(eq(staffSessions.tokenHash, hashToken(token)));
  }

  private idleCutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.staff.sessionIdleMs);
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
