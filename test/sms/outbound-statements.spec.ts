import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { BlindIndex } from '../../src/crypto/blind-index';
import { KeyRing } from '../../src/crypto/key-ring';
import { OutboundMessagesRepository, type NewOutboundRow } from '../../src/outbound/outbound-messages.repository';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { OutboundJobKind } from '../../src/outbound/outbound.types';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '../db/test-databases';
import { malianNumber } from './sms-test.helpers';

jest.setTimeout(60_000);

const WINDOW_MS = 120_000;

/**
 * The outbound record's prepared statements, on the embedded PGlite a new install runs on and on a
 * PostgreSQL server: a turn's replies recorded at once and in order, and the worker's claim deciding
 * in one statement whether a message may leave now.
 */
describe.each<TestDatabaseKind>(['pglite', 'postgres'])('outbound statements on %s', (kind) => {
  let db: TestDatabase;
  let messages: OutboundMessagesRepository;
  let contacts: ContactsRepository;

  beforeAll(async () => {
    db = await openTestDatabase(kind, 'obstmt');
    const keys = KeyRing.generate('k1');
    messages = new OutboundMessagesRepository(db.handle.db);
    contacts = new ContactsRepository(db.handle.db, new BlindIndex(keys), new AddressCipher(keys));
  }, 60_000);

  afterAll(async () => {
    await db?.dispose();
  });

  const newContact = async () => (await contacts.findOrCreate('sms', malianNumber(), 'test')).id;
  const rowsFor = (contactId: string | null, n: number, kind = OutboundJobKind.Reply): NewOutboundRow[] =>
    Array.from({ length: n }, (_, i) => ({ id: randomUUID(), channel: 'sms', contactId, kind, segments: i + 1, encoding: 'GSM-7' }));
  const row = async (id: string) => (await messages.findById(id))!;
  const set = (id: string, changes: Record<string, unknown>) => db.handle.db.update(outboundMessages).set(changes).where(eq(outboundMessages.id, id));

  it('records a turn in one statement, in her order, and leaves rows that already exist alone', async () => {
    const contactId = await newContact();
    const rows = rowsFor(contactId, 3).sort((a, b) => b.id.localeCompare(a.id)); // ids against their order
    expect(await messages.createMany(rows)).toEqual(new Set(rows.map((r) => r.id)));
    const stored = await Promise.all(rows.map((r) => row(r.id)));
    expect(stored.map((r) => [r.status, r.attempts, r.segments, r.encoding, r.kind, r.contactId])).toEqual(rows.map((r) => ['queued', 0, r.segments, 'GSM-7', 'reply', contactId]));
    const [first, second, third] = await db.handle.rows<{ id: string }>(sql`select id from outbound_messages where contact_id = ${contactId} order by created_at, id`);
    expect([first!.id, second!.id, third!.id]).toEqual(rows.map((r) => r.id));

    await set(rows[0]!.id, { status: 'sent' });
    const again = [...rows, ...rowsFor(contactId, 1)];
    expect(await messages.createMany(again)).toEqual(new Set([again[3]!.id]));
    expect((await row(rows[0]!.id)).status).toBe('sent');
    expect(await messages.statusesOf(again.map((r) => r.id))).toEqual(new Map(again.map((r, i) => [r.id, i === 0 ? 'sent' : 'queued'])));
  });

  it('claims a queued row exactly once, even when two workers race for it', async () => {
    const [message] = rowsFor(await newContact(), 1);
    await messages.createMany([message!]);
    const verdicts = await Promise.all([messages.claim(message!.id, WINDOW_MS), messages.claim(message!.id, WINDOW_MS)]);
    expect(verdicts.filter((v) => v?.claimed)).toHaveLength(1);
    expect(verdicts.find((v) => v?.claimed)).toEqual({ status: 'queued', held: false, allowed: true, claimed: true, segments: 1 });
    expect(await row(message!.id)).toMatchObject({ status: 'sending', attempts: 1 });
    expect(await messages.claim(message!.id, WINDOW_MS)).toMatchObject({ status: 'sending', claimed: false });
    expect(await messages.claim(randomUUID(), WINDOW_MS)).toBeUndefined();
  });

  it('holds a later message behind an older one to her that is queued — never tried, in a retry or given back — or being sent', async () => {
    const contactId = await newContact();
    const [older, later] = rowsFor(contactId, 2);
    await messages.createMany([older!, later!]);
    const laterVerdict = async () => (await messages.claim(later!.id, WINDOW_MS))!;
    expect(await laterVerdict()).toMatchObject({ held: true, claimed: false });
    for (const state of [{ status: 'queued', attempts: 1 }, { status: 'sending', attempts: 1 }, { status: 'queued', attempts: 3 }]) {
      await set(older!.id, state);
      expect([state, await laterVerdict()]).toEqual([state, expect.objectContaining({ held: true, claimed: false })]);
    }
    expect((await row(later!.id)).attempts).toBe(0);
    // the older one is claimed as usual: nothing older holds it
    await set(older!.id, { status: 'queued' });
    expect(await messages.claim(older!.id, WINDOW_MS)).toMatchObject({ held: false, claimed: true });
    await messages.markSent(older!.id, 'P1');
    expect(await laterVerdict()).toMatchObject({ held: false, claimed: true });
  });

  it('holds nothing behind a message that ended, one older than the window, one of another kind or one to someone else', async () => {
    const contactId = await newContact();
    const [older, later] = rowsFor(contactId, 2);
    const [otherKind] = rowsFor(contactId, 1, OutboundJobKind.Proactive);
    const [otherContact] = rowsFor(await newContact(), 1);
    await messages.createMany([older!, otherKind!, otherContact!, later!]);
    for (const id of [otherKind!.id, otherContact!.id]) await set(id, { createdAt: sql`now() - interval '1 second'` });
    await set(older!.id, { createdAt: sql`now() - interval '3 minutes'` });
    expect(await messages.claim(later!.id, WINDOW_MS)).toMatchObject({ held: false, claimed: true });
    for (const status of ['failed', 'unknown', 'sent', 'delivered'] as const) {
      const [a, b] = rowsFor(await newContact(), 2);
      await messages.createMany([a!, b!]);
      await set(a!.id, { status });
      expect([status, await messages.claim(b!.id, WINDOW_MS)]).toEqual([status, expect.objectContaining({ held: false, claimed: true })]);
    }
  });

  it('does not claim what she may no longer receive: anything proactive after her opt-out, a reply queued before it', async () => {
    const contactId = await newContact();
    const [reply] = rowsFor(contactId, 1);
    const [proactive] = rowsFor(contactId, 1, OutboundJobKind.Proactive);
    await messages.createMany([reply!, proactive!]);
    await contacts.setOptedOut(contactId, true, 'keyword');
    const [confirmation] = rowsFor(contactId, 1);
    await messages.createMany([confirmation!]);
    await set(reply!.id, { status: 'sent' }); // so it holds nothing back
    const verdicts = [await messages.claim(proactive!.id, WINDOW_MS), await messages.claim(confirmation!.id, WINDOW_MS)];
    expect(verdicts.map((v) => [v?.allowed, v?.claimed])).toEqual([[false, false], [true, true]]);
    await set(reply!.id, { status: 'queued' });
    const [stale] = [await messages.claim(reply!.id, WINDOW_MS)];
    expect([stale?.allowed, stale?.claimed]).toEqual([false, false]);
    const [orphan] = rowsFor(null, 1);
    await messages.createMany([orphan!]);
    expect(await messages.claim(orphan!.id, WINDOW_MS)).toMatchObject({ held: false, allowed: true, claimed: true });
  });

  it('applies receipts forwards only, keeping a known error code when the receipt has none', async () => {
    const [message] = rowsFor(await newContact(), 1);
    await messages.createMany([message!]);
    await messages.claim(message!.id, WINDOW_MS);
    await messages.markSent(message!.id, 'SM1');
    expect(await messages.applyReceipt('sms', 'SM1', 'undelivered', '30003')).toMatchObject({ status: 'undelivered', errorCode: '30003', deliveredAt: null });
    expect(await messages.applyReceipt('sms', 'SM1', 'sent', null)).toBeUndefined();
    expect(await messages.applyReceipt('sms', 'SM1', 'queued')).toBeUndefined();
    const [other] = rowsFor(await newContact(), 1);
    await messages.createMany([other!]);
    await messages.claim(other!.id, WINDOW_MS);
    await messages.markSent(other!.id, 'SM2');
    await set(other!.id, { errorCode: 'earlier' });
    const delivered = await messages.applyReceipt('sms', 'SM2', 'delivered', null);
    expect(delivered).toMatchObject({ status: 'delivered', errorCode: 'earlier', providerId: 'SM2' });
    expect(delivered?.deliveredAt).toBeInstanceOf(Date);
    expect(await messages.findByProviderId('sms', 'SM2')).toEqual(delivered);
  });
});
