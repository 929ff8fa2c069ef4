import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { AddressCipher } from '../crypto/address-cipher';
import { BlindIndex } from '../crypto/blind-index';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { canTransition, CallbackTransitionError, CLOSED_STATUSES } from './callback-status.machine';
import {
  OPEN_STATUSES,
  type CallbackActor,
  type CallbackRequest,
  type CallbackStatus,
  type NewCallbackRequest,
} from './callback.types';
import { callbackRequests, callbackTransitions, type CallbackRequestRow, type CallbackTransitionRow } from './callbacks.schema';
import { CREATED_DEFAULTS, prepareCreateStatement, type CreateStatement } from './callback-create.statement';
import { newRefCode } from './ref-code';
import { CallbackObservers } from './callback-observers';
import type { SealedAddress } from '../contacts/contacts.repository';

type RequestChanges = PgUpdateSetSource<typeof callbackRequests>;

/** A fresh code colliding with an existing one is rare (1 in ~10^8 per request); a few draws suffice. */
const CODE_ATTEMPTS = 5;
const OPEN_INDEX = 'callback_requests_one_open_per_contact';
const CODE_INDEX = 'callback_requests_ref_code_key';

export type CreateResult = { kind: 'created'; request: CallbackRequest } | { kind: 'already_open'; request: CallbackRequest };

/**
 * Callback requests in PostgreSQL, the source of truth: BullMQ jobs only point here. Every status
 * change is one conditional UPDATE plus its transition row, in one transaction, so two staff or a
 * staff member and a timer can never both move one request.
 */
@Injectable()
export class CallbackRequestsRepository {
  /** The row and its first transition in one atomic statement (see callback-create.statement.ts). */
  private readonly createStatement: CreateStatement;
  /**
   * Her open request, prepared once (named, so PostgreSQL parses and plans it once per connection):
   * looked up on every conversation turn, where rebuilding the query was drizzle's share of the
   * webhook path's CPU (bench/profile-notes.md).
   */
  private readonly openByContact;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Optional() @Inject(CallbackObservers) private readonly observers?: CallbackObservers,
  ) {
    this.createStatement = prepareCreateStatement(db);
    this.openByContact = db
      .select()
      .from(callbackRequests)
      .where(and(eq(callbackRequests.contactId, sql.placeholder('contactId')), inArray(callbackRequests.status, [...OPEN_STATUSES])))
      .prepare('callback_requests_open_by_contact');
  }

  /**
   * Stores a new pending request, or returns her open one (one open request per contact, enforced by
   * a unique partial index, so two racing messages cannot both create one). Resolves only after commit
   * of the row together with its first transition and her consent (one statement, see
   * callback-create.statement.ts); `contactAddress` is her own address, sealed for her contact row.
   */
  async create(input: NewCallbackRequest, now: Date, contactAddress?: SealedAddress): Promise<CreateResult> {
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      try {
        const request = await this.insert(input, newRefCode(), now, contactAddress);
        this.observers?.notify((o) => o.requested?.(request, now));
        return { kind: 'created', request };
      } catch (err) {
        const constraint = violatedConstraint(err);
        if (constraint === OPEN_INDEX) {
          const open = await this.findOpenByContact(input.contactId);
          if (open) return { kind: 'already_open', request: open };
        }
        if (constraint !== CODE_INDEX && constraint !== OPEN_INDEX) throw err;
      }
    }
    throw new Error('callback request could not get a unique reference code');
  }

  private async insert(input: NewCallbackRequest, refCode: string, now: Date, contactAddress?: SealedAddress): Promise<CallbackRequest> {
    const id = randomUUID();
    const { token, kid } = this.cipher.encrypt(input.number, numberContext(id));
    // the columns written as given, and the same values in the request returned after commit
    const given = {
      id,
      contactId: input.contactId,
      channel: input.channel,
      refCode,
      topic: input.topic,
      urgent: input.urgent,
      callLanguage: input.callLanguage,
      voicemailSafe: input.voicemailSafe,
      smsSafe: input.smsSafe,
      consentVersion: input.consentVersion,
    };
    const stored = await this.createStatement({
      ...given,
      windowsJson: JSON.stringify(input.windows),
      numberEnc: token,
      numberKeyId: kid,
      // already E.164 as libphonenumber writes it (requestFromAnswers checked it): not parsed again
      numberIndex: this.index.ofNormalised('sms', input.number),
      contactAddressEnc: contactAddress?.addressEnc ?? null,
      contactAddressKeyId: contactAddress?.addressKeyId ?? null,
      now,
    });
    if (stored !== id) throw new Error('callback request insert returned no row');
    // committed: the row is exactly these values (the statement leaves nothing to a table default)
    return {
      ...given,
      windows: input.windows,
      ...CREATED_DEFAULTS,
      dueAt: now,
      createdAt: now,
      updatedAt: now,
    };
  }

  async findById(id: string): Promise<CallbackRequest | undefined> {
    const [row] = await this.db.select().from(callbackRequests).where(eq(callbackRequests.id, id));
    return row ? toRequest(row) : undefined;
  }

  /** Her open request, if any: asked on every turn of a conversation (the hooks' `open_callback` fact). */
  async findOpenByContact(contactId: string): Promise<CallbackRequest | undefined> {
    const [row] = await this.openByContact.execute({ contactId });
    return row ? toRequest(row) : undefined;
  }

  /** A request by its code, only among this contact's own: another identity's code finds nothing. */
  async findByRef(contactId: string, refCode: string): Promise<CallbackRequest | undefined> {
    const [row] = await this.db
      .select()
      .from(callbackRequests)
      .where(and(eq(callbackRequests.contactId, contactId), eq(callbackRequests.refCode, refCode)));
    return row ? toRequest(row) : undefined;
  }

  /** Every request of a contact, open or closed (her erasure forgets their jobs). */
  async listByContact(contactId: string): Promise<CallbackRequest[]> {
    const rows = await this.db.select().from(callbackRequests).where(eq(callbackRequests.contactId, contactId));
    return rows.map(toRequest);
  }

  /** Every request still open, oldest first (the rebuild walks them). */
  async listOpen(): Promise<CallbackRequest[]> {
    const rows = await this.db
      .select()
      .from(callbackRequests)
      .where(inArray(callbackRequests.status, [...OPEN_STATUSES]))
      .orderBy(asc(callbackRequests.createdAt));
    return rows.map(toRequest);
  }

  /**
   * Moves a request to `to` if it is still in `from` (and, when given, still on `attempt`/`claims`),
   * recording who did it. Returns the updated request, or undefined when it had moved on meanwhile.
   * Throws when the machine does not allow the move at all (a programming error, not a race).
   */
  async transition(
    id: string,
    from: CallbackStatus,
    to: CallbackStatus,
    actor: CallbackActor,
    now: Date,
    options: { changes?: RequestChanges; attempt?: number; claims?: number } = {},
  ): Promise<CallbackRequest | undefined> {
    if (!canTransition(from, to, actor)) throw new CallbackTransitionError(from, to, actor);
    const conditions = [eq(callbackRequests.id, id), eq(callbackRequests.status, from)];
    if (options.attempt !== undefined) conditions.push(eq(callbackRequests.attempt, options.attempt));
    if (options.claims !== undefined) conditions.push(eq(callbackRequests.claims, options.claims));
    const closing = CLOSED_STATUSES.includes(to) ? { closedAt: now } : {};
    const moved = await this.db.transaction(async (tx) => {
      const [row] = await tx
        .update(callbackRequests)
        .set({ ...options.changes, ...closing, status: to, updatedAt: now })
        .where(and(...conditions))
        .returning();
      if (!row) return undefined;
      await tx.insert(callbackTransitions).values({ requestId: id, fromStatus: from, toStatus: to, actor, at: now });
      return toRequest(row);
    });
    if (moved && closing.closedAt) this.observers?.notify((o) => o.closed?.(moved, to, now));
    return moved;
  }

  /**
   * Her own changes (call time, voicemail, SMS) to a request that is still open; the status stays. One
   * conditional UPDATE: a request closed meanwhile is not changed (undefined).
   */
  async changeOpen(id: string, changes: Partial<Pick<CallbackRequest, 'windows' | 'voicemailSafe' | 'smsSafe'>>, now: Date): Promise<CallbackRequest | undefined> {
    const [row] = await this.db
      .update(callbackRequests)
      .set({ ...changes, updatedAt: now })
      .where(and(eq(callbackRequests.id, id), inArray(callbackRequests.status, [...OPEN_STATUSES])))
      .returning();
    return row ? toRequest(row) : undefined;
  }

  async transitions(id: string): Promise<CallbackTransitionRow[]> {
    return this.db.select().from(callbackTransitions).where(eq(callbackTransitions.requestId, id)).orderBy(asc(callbackTransitions.at));
  }

  async markNotified(id: string, now: Date): Promise<void> {
    await this.db.update(callbackRequests).set({ notifiedAt: now, updatedAt: now }).where(eq(callbackRequests.id, id));
  }

  async markEscalated(id: string, now: Date): Promise<void> {
    await this.db.update(callbackRequests).set({ escalatedAt: now, updatedAt: now }).where(eq(callbackRequests.id, id));
  }

  /** Her number in clear, for a staff action the caller has already audited. */
  async revealNumber(id: string): Promise<string | null> {
    const [row] = await this.db.select({ enc: callbackRequests.numberEnc }).from(callbackRequests).where(eq(callbackRequests.id, id));
    return row ? this.cipher.decrypt(row.enc, numberContext(id)) : null;
  }
}

/** The authenticated context of a stored number: a token copied into another row will not decrypt. */
function numberContext(id: string): string {
  return `callback_requests:${id}`;
}

/** The unique constraint a failed insert hit (pg and PGlite errors, wrapped by drizzle or not). */
function violatedConstraint(err: unknown): string | undefined {
  for (let e = err as { code?: string; constraint?: string; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (e.code === '23505') return e.constraint;
    e = e.cause as typeof e;
  }
  return undefined;
}

export function toRequest(row: CallbackRequestRow): CallbackRequest {
  const { numberEnc: _enc, numberKeyId: _kid, numberIndex: _index, ...rest } = row;
  return rest;
}
