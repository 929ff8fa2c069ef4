import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { staffCalls, type DialStatus, type StaffCallRow, type StaffCallState } from './staff-calls.schema';
import { isUuid } from './staff-users.repository';

/** Calls through Sira in PostgreSQL: each state change is conditional, so a webhook Twilio repeats acts once. */
@Injectable()
export class StaffCallsRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(input: { requestId: string; staffId: string; attempt: number; claims: number }): Promise<StaffCallRow> {
    const [row] = await this.db
      .insert(staffCalls)
      .values({ id: randomUUID(), ...input, state: 'placed', createdAt: new Date(this.clock.now()) })
      .returning();
    return row;
  }

  async find(id: string): Promise<StaffCallRow | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.db.select().from(staffCalls).where(eq(staffCalls.id, id));
    return row;
  }

  /** Moves the call from `from` to `to`; undefined when it was not in `from` (already moved, or unknown). */
  async move(
    id: string,
    from: StaffCallState,
    to: StaffCallState,
    result: { dialStatus?: DialStatus; durationSeconds?: number; providerCallId?: string } = {},
  ): Promise<StaffCallRow | undefined> {
    if (!isUuid(id)) return undefined;
    const { providerCallId, ...rest } = result;
    const ended = to === 'bridged' ? {} : { endedAt: new Date(this.clock.now()) };
    const ids = providerCallId ? { providerCallIds: sql`${staffCalls.providerCallIds} || ${JSON.stringify([providerCallId])}::jsonb` } : {};
    const [row] = await this.db
      .update(staffCalls)
      .set({ state: to, ...ended, ...rest, ...ids })
      .where(and(eq(staffCalls.id, id), eq(staffCalls.state, from)))
      .returning();
    return row;
  }

  /** A call of this request still ringing or going on, started after `since`. */
  async inProgress(requestId: string, since: Date): Promise<StaffCallRow | undefined> {
    const [row] = await this.db
      .select()
      .from(staffCalls)
      .where(and(eq(staffCalls.requestId, requestId), inArray(staffCalls.state, ['placed', 'bridged']), gte(staffCalls.createdAt, since)))
      .limit(1);
    return row;
  }

  /** The provider's ids of every call made through Sira for these requests (for her erasure). */
  async providerIds(requestIds: string[]): Promise<string[]> {
    if (!requestIds.length) return [];
    const rows = await this.db.select({ ids: staffCalls.providerCallIds }).from(staffCalls).where(inArray(staffCalls.requestId, requestIds));
    return [...new Set(rows.flatMap((r) => r.ids))];
  }

  latest(requestId: string, limit = 10): Promise<StaffCallRow[]> {
    return this.db.select().from(staffCalls).where(eq(staffCalls.requestId, requestId)).orderBy(desc(staffCalls.createdAt)).limit(limit);
  }
}
