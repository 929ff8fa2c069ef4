import { sql } from 'drizzle-orm';
import { windowFor } from '../../src/callbacks/call-windows';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import type { NewCallbackRequest } from '../../src/callbacks/callback.types';
import * as refCodes from '../../src/callbacks/ref-code';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { BlindIndex } from '../../src/crypto/blind-index';
import { KeyRing } from '../../src/crypto/key-ring';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '../db/test-databases';
import { malianNumber } from '../sms/sms-test.helpers';

jest.setTimeout(60_000);

/**
 * Registering a request stores the row and its first transition (her own "created" line in the
 * history) as one unit, on the embedded PGlite that a new install runs on and on a PostgreSQL server.
 */
describe.each<TestDatabaseKind>(['pglite', 'postgres'])('creating a callback request on %s', (kind) => {
  let db: TestDatabase;
  let requests: CallbackRequestsRepository;
  let contacts: ContactsRepository;
  const keys = KeyRing.generate('k1');
  const index = new BlindIndex(keys);
  const now = new Date(Date.UTC(2026, 0, 15, 9, 30, 12, 345));

  beforeAll(async () => {
    db = await openTestDatabase(kind, 'cbcreate');
    const cipher = new AddressCipher(keys);
    requests = new CallbackRequestsRepository(db.handle.db, cipher, index);
    contacts = new ContactsRepository(db.handle.db, index, cipher);
  }, 60_000);

  afterAll(async () => {
    jest.restoreAllMocks();
    await db?.dispose();
  });

  const newRequest = async (overrides: Partial<NewCallbackRequest> = {}): Promise<NewCallbackRequest> => ({
    contactId: (await contacts.findOrCreate('sms', malianNumber(), 'test')).id,
    channel: 'sms',
    topic: 'testimony',
    urgent: false,
    callLanguage: 'bm',
    windows: [windowFor('evening', 'any')],
    voicemailSafe: false,
    smsSafe: true,
    number: malianNumber(),
    consentVersion: 'v1',
    ...overrides,
  });
  const count = async (table: 'callback_requests' | 'callback_transitions', contactId: string) => {
    const [row] = await db.handle.rows<{ n: string | number }>(
      table === 'callback_requests'
        ? sql`select count(*) as n from callback_requests where contact_id = ${contactId}`
        : sql`select count(*) as n from callback_transitions t join callback_requests r on r.id = t.request_id where r.contact_id = ${contactId}`,
    );
    return Number(row!.n);
  };

  it('returns the stored row, with her "created" line in its history at the same instant', async () => {
    const input = await newRequest();
    const result = await requests.create(input, now);
    expect(result.kind).toBe('created');
    const stored = await requests.findById(result.request.id);
    expect(stored).toEqual(result.request);
    expect(result.request).toMatchObject({ status: 'pending', attempt: 1, claims: 0, dueAt: now, createdAt: now, topic: 'testimony', callLanguage: 'bm', smsSafe: true });
    expect(result.request.windows).toEqual(input.windows);
    expect(result.request.refCode).toMatch(/^[A-Z2-9]{6}$/);
    expect(await requests.revealNumber(result.request.id)).toBe(input.number);
    const [secret] = await db.handle.rows<{ number_index: string; number_key_id: string }>(sql`select number_index, number_key_id from callback_requests where id = ${result.request.id}`);
    // her number's blind index as a look-up by any spelling of it computes it, and the key that encrypted it
    expect(secret).toEqual({ number_index: index.of('sms', input.number), number_key_id: 'k1' });
    const history = await requests.transitions(result.request.id);
    expect(history.map((t) => [t.fromStatus, t.toStatus, t.actor, t.at.getTime()])).toEqual([[null, 'pending', 'contact', now.getTime()]]);
  });

  it('gives back her open request instead of a second one, even when her messages race', async () => {
    const input = await newRequest();
    const results = await Promise.all(Array.from({ length: 6 }, () => requests.create(input, now)));
    const created = results.filter((r) => r.kind === 'created');
    expect(created).toHaveLength(1);
    expect(new Set(results.map((r) => r.request.id))).toEqual(new Set([created[0]!.request.id]));
    expect(await count('callback_requests', input.contactId)).toBe(1);
    expect(await count('callback_transitions', input.contactId)).toBe(1);
  });

  it('draws another code when the first one is taken', async () => {
    const taken = (await requests.create(await newRequest(), now)).request.refCode;
    const draw = jest.spyOn(refCodes, 'newRefCode').mockReturnValueOnce(taken);
    try {
      const input = await newRequest();
      const result = await requests.create(input, now);
      expect(result.kind).toBe('created');
      expect(result.request.refCode).not.toBe(taken);
      expect(draw).toHaveBeenCalledTimes(2);
      expect(await count('callback_transitions', input.contactId)).toBe(1);
    } finally {
      draw.mockRestore();
    }
  });

  it('stores nothing when her history line cannot be stored', async () => {
    await db.handle.db.execute(sql`create or replace function sira_test_refuse() returns trigger as $$ begin raise exception 'refused by test'; end $$ language plpgsql`);
    await db.handle.db.execute(sql`create trigger sira_test_refuse before insert on callback_transitions for each row execute function sira_test_refuse()`);
    const input = await newRequest();
    try {
      await expect(requests.create(input, now)).rejects.toThrow();
    } finally {
      await db.handle.db.execute(sql`drop trigger sira_test_refuse on callback_transitions`);
    }
    expect(await count('callback_requests', input.contactId)).toBe(0);
    expect(await requests.findOpenByContact(input.contactId)).toBeUndefined();
  });
});
