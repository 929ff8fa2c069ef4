import { sql } from 'drizzle-orm';
import type { Database } from '../db/open-database';
import type { CallbackStatus } from './callback.types';
import { callbackRequests, callbackTransitions } from './callbacks.schema';

const p = (name: keyof CreateParams) => sql.placeholder(name);

/** The values of one new request, as stored (the number already encrypted and indexed). */
export interface CreateParams {
  id: string;
  contactId: string;
  channel: string;
  refCode: string;
  topic: string;
  urgent: boolean;
  callLanguage: string;
  windows: unknown;
  voicemailSafe: boolean;
  smsSafe: boolean;
  numberEnc: string;
  numberKeyId: string;
  numberIndex: string;
  consentVersion: string;
  now: Date;
}

/**
 * The row and its first transition ("created by her") as ONE statement: a data-modifying CTE is a
 * single command, so both rows commit together or neither does (same guarantee as BEGIN … COMMIT, in
 * one round trip instead of four). The transition's foreign key is checked at the end of the
 * statement, when the row exists. Built once and prepared: nothing is rebuilt per request.
 */
export function prepareCreateStatement(db: Database) {
  const inserted = db.$with('inserted').as(
    db
      .insert(callbackRequests)
      .values({
        id: p('id'),
        contactId: p('contactId'),
        channel: p('channel'),
        refCode: p('refCode'),
        topic: p('topic'),
        urgent: p('urgent'),
        callLanguage: p('callLanguage'),
        windows: p('windows'),
        voicemailSafe: p('voicemailSafe'),
        smsSafe: p('smsSafe'),
        numberEnc: p('numberEnc'),
        numberKeyId: p('numberKeyId'),
        numberIndex: p('numberIndex'),
        consentVersion: p('consentVersion'),
        status: 'pending',
        dueAt: p('now'),
        createdAt: p('now'),
        updatedAt: p('now'),
      })
      .returning(),
  );
  const history = db.$with('history').as(
    db.insert(callbackTransitions).select((qb) =>
      qb
        .select({
          id: sql<string>`gen_random_uuid()`.as('id'),
          requestId: inserted.id,
          fromStatus: sql<CallbackStatus | null>`null`.as('from_status'),
          toStatus: inserted.status,
          actor: sql<string>`'contact'`.as('actor'),
          at: inserted.createdAt,
        })
        .from(inserted),
    ),
  );
  return db.with(inserted, history).select().from(inserted).prepare('callback_requests_create');
}

export type CreateStatement = ReturnType<typeof prepareCreateStatement>;
