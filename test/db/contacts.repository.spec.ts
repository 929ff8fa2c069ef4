import { sql } from 'drizzle-orm';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { AddressMismatchError, ContactNotFoundError } from '../../src/contacts/contact';
import { AddressCipher, DecryptionError } from '../../src/crypto/address-cipher';
import { BlindIndex } from '../../src/crypto/blind-index';
import { KeyRing } from '../../src/crypto/key-ring';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from './test-databases';

// Valid-looking Malian mobile numbers that belong to nobody we know; each test uses its own.
const number = (n: number) => `+2237${String(1000000 + n).slice(-7)}`;
/** Every way the number could show up in clear: E.164, international digits, national digits. */
const spellings = (e164: string) => [e164, e164.slice(1), e164.slice(4)];

function repositoryWith(db: TestDatabase, keys: KeyRing): ContactsRepository {
  return new ContactsRepository(db.handle.db, new BlindIndex(keys), new AddressCipher(keys));
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('contacts on %s', (kind) => {
  let db: TestDatabase;
  const keys = KeyRing.generate('k1');
  let contacts: ContactsRepository;

  const rawRow = async (id: string) =>
    (await db.handle.rows<Record<string, unknown>>(sql`select * from contacts where id = ${id}`))[0];
  const countRows = async () =>
    Number((await db.handle.rows<{ n: string | number }>(sql`select count(*) as n from contacts`))[0].n);

  beforeAll(async () => {
    db = await openTestDatabase(kind, 'contacts');
    contacts = repositoryWith(db, keys);
  }, 60_000);

  afterAll(async () => {
    await db?.dispose();
  });

  it('creates one contact for one number, however it is written', async () => {
    const before = await countRows();
    const first = await contacts.findOrCreate('sms', number(1), 'twilio');
    const again = await contacts.findOrCreate('sms', '00223 71 00 00 01', 'twilio');
    const national = await contacts.findOrCreate('sms', '71 00 00 01', 'twilio');
    expect(again.id).toBe(first.id);
    expect(national.id).toBe(first.id);
    expect(await countRows()).toBe(before + 1);
    expect(first).toMatchObject({ channel: 'sms', source: 'twilio', consentState: 'none', optedOut: false, language: null });
  });

  it('keeps one row when the same new number writes many times at once', async () => {
    const before = await countRows();
    const results = await Promise.all(Array.from({ length: 12 }, () => contacts.findOrCreate('sms', number(2), 'twilio')));
    expect(new Set(results.map((c) => c.id)).size).toBe(1);
    expect(await countRows()).toBe(before + 1);
  });

  it('never links one number across channels', async () => {
    const sms = await contacts.findOrCreate('sms', number(3), 'twilio');
    const simulated = await contacts.findOrCreate('simulator', number(3), 'simulator');
    expect(simulated.id).not.toBe(sms.id);
    expect(simulated.addressIndex).not.toBe(sms.addressIndex);
  });

  it('remembers her language and opt-out across reads, and forgets the reason when she opts back in', async () => {
    const chat = await contacts.findOrCreate('telegram', '552210377', 'telegram');
    await contacts.setLanguage(chat.id, 'bm');
    const stopped = await contacts.setOptedOut(chat.id, true, 'keyword');
    expect(stopped.optedOutAt).toBeInstanceOf(Date);
    expect(await contacts.findByAddress('telegram', '552210377')).toMatchObject({
      language: 'bm',
      optedOut: true,
      optedOutSource: 'keyword',
    });
    await contacts.setOptedOut(chat.id, false);
    expect(await contacts.findById(chat.id)).toMatchObject({ optedOut: false, optedOutSource: null, optedOutAt: null });
  });

  it('stores nothing that names her before consent', async () => {
    const c = await contacts.findOrCreate('sms', number(4), 'twilio');
    await contacts.setLanguage(c.id, 'fr');
    const row = await rawRow(c.id);
    expect(row.address_enc).toBeNull();
    expect(row.address_key_id).toBeNull();
    for (const s of spellings(number(4))) expect(JSON.stringify(row)).not.toContain(s);
    expect(await contacts.revealAddress(c.id)).toBeNull();
  });

  it('stores the address encrypted once she consents, readable only through revealAddress', async () => {
    const c = await contacts.findOrCreate('sms', number(5), 'twilio');
    const consented = await contacts.giveConsent(c.id, 'consent-v1', '+223 71 00 00 05');
    expect(consented).toMatchObject({ consentState: 'given', consentVersion: 'consent-v1', hasAddress: true });
    const row = await rawRow(c.id);
    expect(row.address_key_id).toBe('k1');
    expect(String(row.address_enc)).toMatch(/^v1\.k1\./);
    for (const s of spellings(number(5))) expect(JSON.stringify(row)).not.toContain(s);
    expect(await contacts.revealAddress(c.id)).toBe(number(5));
  });

  it('refuses consent with an address that is not hers', async () => {
    const c = await contacts.findOrCreate('sms', number(6), 'twilio');
    await expect(contacts.giveConsent(c.id, 'consent-v1', number(7))).rejects.toBeInstanceOf(AddressMismatchError);
    expect((await rawRow(c.id)).address_enc).toBeNull();
  });

  it('drops the address when she withdraws consent, keeping language and opt-out', async () => {
    const c = await contacts.findOrCreate('sms', number(8), 'twilio');
    await contacts.setLanguage(c.id, 'en');
    await contacts.giveConsent(c.id, 'consent-v1', number(8));
    const withdrawn = await contacts.withdrawConsent(c.id);
    expect(withdrawn).toMatchObject({ consentState: 'withdrawn', hasAddress: false, language: 'en' });
    expect((await rawRow(c.id)).address_enc).toBeNull();
    expect(await contacts.revealAddress(c.id)).toBeNull();
  });

  it('refuses, in the database itself, an address stored without consent', async () => {
    const c = await contacts.findOrCreate('sms', number(9), 'twilio');
    await expect(
      db.handle.db.execute(sql`update contacts set address_enc = 'v1.k1.x.y.z' where id = ${c.id}`),
    ).rejects.toThrow();
  });

  it('leaves no row after erase', async () => {
    const c = await contacts.findOrCreate('sms', number(10), 'twilio');
    await contacts.giveConsent(c.id, 'consent-v1', number(10));
    expect(await contacts.erase(c.id)).toBe(true);
    expect(await rawRow(c.id)).toBeUndefined();
    expect(await contacts.findByAddress('sms', number(10))).toBeUndefined();
    expect(await contacts.erase(c.id)).toBe(false);
    await expect(contacts.setLanguage(c.id, 'fr')).rejects.toBeInstanceOf(ContactNotFoundError);
  });

  it('still decrypts after key rotation when the old key stays in the ring', async () => {
    const c = await contacts.findOrCreate('sms', number(11), 'twilio');
    await contacts.giveConsent(c.id, 'consent-v1', number(11));
    const rotated = new KeyRing([KeyRing.generate('k2').active, keys.active], keys.blindIndexKey);
    const afterRotation = repositoryWith(db, rotated);
    expect(await afterRotation.revealAddress(c.id)).toBe(number(11));
    // new consents use the new active key
    const fresh = await afterRotation.findOrCreate('sms', number(12), 'twilio');
    await afterRotation.giveConsent(fresh.id, 'consent-v1', number(12));
    expect((await rawRow(fresh.id)).address_key_id).toBe('k2');
    expect(await afterRotation.revealAddress(fresh.id)).toBe(number(12));
  });

  it('fails to decrypt with a wrong key of the same id', async () => {
    const c = await contacts.findOrCreate('sms', number(13), 'twilio');
    await contacts.giveConsent(c.id, 'consent-v1', number(13));
    const impostor = new KeyRing([KeyRing.generate('k1').active], keys.blindIndexKey);
    await expect(repositoryWith(db, impostor).revealAddress(c.id)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('fails to decrypt an address copied into another contact row', async () => {
    const a = await contacts.findOrCreate('sms', number(14), 'twilio');
    const b = await contacts.findOrCreate('sms', number(15), 'twilio');
    await contacts.giveConsent(a.id, 'consent-v1', number(14));
    await contacts.giveConsent(b.id, 'consent-v1', number(15));
    await db.handle.db.execute(
      sql`update contacts set address_enc = (select address_enc from contacts where id = ${a.id}) where id = ${b.id}`,
    );
    await expect(contacts.revealAddress(b.id)).rejects.toBeInstanceOf(DecryptionError);
  });

  it('leaves no test number in clear anywhere in a database dump', async () => {
    for (let n = 20; n < 25; n++) {
      const c = await contacts.findOrCreate('sms', number(n), 'twilio');
      await contacts.giveConsent(c.id, 'consent-v1', number(n));
    }
    const dump = await db.dump();
    expect(dump).toContain('v1.k1.'); // the dump does hold the encrypted addresses…
    for (let n = 1; n < 25; n++) {
      for (const s of spellings(number(n))) expect(dump).not.toContain(s); // …and no clear one
    }
    expect(dump).not.toContain('552210377');
  });
});
