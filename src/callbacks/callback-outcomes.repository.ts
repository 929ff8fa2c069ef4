import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import type { CallOutcome } from './callback.types';
import { callbackOutcomes } from './callbacks.schema';

/** A note is a few words for the next caller, not a case file. */
export const MAX_NOTE_LENGTH = 500;

export interface OutcomeRecord {
  id: string;
  requestId: string;
  staffId: string;
  outcome: CallOutcome;
  attempt: number;
  /** decrypted for display; null when none was written. */
  note: string | null;
  at: Date;
}

/** Call outcomes with their notes encrypted at rest (AES-GCM, bound to the outcome row like a number). */
@Injectable()
export class CallbackOutcomesRepository {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async add(input: { requestId: string; staffId: string; outcome: CallOutcome; attempt: number; note?: string }): Promise<OutcomeRecord> {
    const id = randomUUID();
    const note = input.note?.trim().slice(0, MAX_NOTE_LENGTH) || null;
    const enc = note ? this.cipher.encrypt(note, noteContext(id)) : null;
    const at = new Date(this.clock.now());
    await this.db.insert(callbackOutcomes).values({
      id,
      requestId: input.requestId,
      staffId: input.staffId,
      outcome: input.outcome,
      attempt: input.attempt,
      noteEnc: enc?.token ?? null,
      noteKeyId: enc?.kid ?? null,
      at,
    });
    return { id, requestId: input.requestId, staffId: input.staffId, outcome: input.outcome, attempt: input.attempt, note, at };
  }

  async forRequest(requestId: string): Promise<OutcomeRecord[]> {
    const rows = await this.db.select().from(callbackOutcomes).where(eq(callbackOutcomes.requestId, requestId)).orderBy(asc(callbackOutcomes.at));
    return rows.map((r) => ({
      id: r.id,
      requestId: r.requestId,
      staffId: r.staffId,
      outcome: r.outcome,
      attempt: r.attempt,
      note: r.noteEnc ? this.cipher.decrypt(r.noteEnc, noteContext(r.id)) : null,
      at: r.at,
    }));
  }
}

function noteContext(id: string): string {
  return `callback_outcomes:${id}`;
}
