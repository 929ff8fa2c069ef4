import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gte } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { staffAuditLog, type StaffAuditRow } from './staff.schema';

/** What the audit log records. `reveal` and `export` are the ones the issue requires; the rest help supervisors. */
export type AuditAction =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'claim'
  | 'release'
  | 'reveal'
  | 'outcome'
  | 'reassign'
  | 'export'
  | 'user_created'
  | 'user_updated'
  | 'first_admin_created'
  | 'second_factor_enrolled'
  | 'second_factor_failed'
  | 'second_factor_reset'
  | 'recovery_code_used'
  | 'password_changed'
  | 'password_reset'
  | 'session_ended'
  | 'sessions_ended'
  | 'reveal_limited'
  /** a take stored for a language and key (language, key, outcome; never the audio). */
  | 'recording_uploaded'
  /** a take refused (not audio, silent, too long, unknown key): language, key, reason. */
  | 'recording_refused'
  /** a take's review status set, by the signed-in reviewer (language, key, status). */
  | 'recording_reviewed'
  /** a call through Sira started by the holder (call id, attempt; never a number). */
  | 'staff_call'
  /** the agent answered: Sira dials her (call id, attempt). */
  | 'staff_call_connected'
  /** how it ended: state, her leg's status and seconds, the outcome written (or why none). */
  | 'staff_call_ended'
  /** a staff member set or removed her own phone (set: true/false; never the number). */
  | 'phone_changed'
  /** broadcasts (src/broadcasts): drafted, refused (the reason), approved (self: true when by its drafter), cancelled (how many taken back). */
  | 'broadcast_drafted'
  | 'broadcast_refused'
  | 'broadcast_approved'
  | 'broadcast_cancelled';

export interface AuditEntry {
  staffId: string | null;
  action: AuditAction;
  requestId?: string | null;
  /** ids, kinds and counts only: never a number, a note or a password. */
  detail?: Record<string, string | number | boolean>;
}

/** Append-only: there is no update or delete here. */
@Injectable()
export class AuditLogRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(staffAuditLog).values({
      at: new Date(this.clock.now()),
      staffId: entry.staffId,
      action: entry.action,
      requestId: entry.requestId ?? null,
      detail: entry.detail ?? {},
    });
  }

  async latest(limit = 200, offset = 0): Promise<StaffAuditRow[]> {
    return this.db.select().from(staffAuditLog).orderBy(desc(staffAuditLog.at)).limit(limit).offset(offset);
  }

  /** One kind of action since `from`, newest first (e.g. `reveal_limited` for the supervision page). */
  async since(action: AuditAction, from: Date, limit = 200): Promise<StaffAuditRow[]> {
    return this.db
      .select()
      .from(staffAuditLog)
      .where(and(eq(staffAuditLog.action, action), gte(staffAuditLog.at, from)))
      .orderBy(desc(staffAuditLog.at))
      .limit(limit);
  }

  async forRequest(requestId: string): Promise<StaffAuditRow[]> {
    return this.db.select().from(staffAuditLog).where(eq(staffAuditLog.requestId, requestId)).orderBy(desc(staffAuditLog.at));
  }
}
