import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { callbackRequests } from '../../src/callbacks/callbacks.schema';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { contacts } from '../../src/contacts/contacts.schema';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { BlindIndex } from '../../src/crypto/blind-index';
import { KeyRing } from '../../src/crypto/key-ring';
import { openDatabase, type DatabaseHandle } from '../../src/db/open-database';
import { KeyRotationService } from '../../src/privacy/key-rotation.service';
import { totpContext } from '../../src/staff/second-factor';
import { callbackOutcomes, outboundMessages, staffUsers } from '../../src/db/schema';
import { outboundAddressContext } from '../../src/outbound/outbound.types';
import { eq } from 'drizzle-orm';
import { createTestDatabase, malianNumber } from '../sms/sms-test.helpers';
import { newKey } from './privacy-harness';

const run = promisify(execFile);
jest.setTimeout(120_000);

/** The services of one "deployment" of the keys: a ring, and the repositories that use it. */
function servicesFor(handle: DatabaseHandle, spec: string, blindKey: Buffer) {
  const keys = new KeyRing(KeyRing.parseEncryptionKeys(spec), blindKey);
  const cipher = new AddressCipher(keys);
  const index = new BlindIndex(keys);
  return {
    keys,
    cipher,
    contacts: new ContactsRepository(handle.db, index, cipher),
    requests: new CallbackRequestsRepository(handle.db, cipher, index),
    rotation: new KeyRotationService(handle.db, keys, cipher),
  };
}

const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('key rotation', () => {
  const blindKey = randomBytes(32);
  const blindB64 = blindKey.toString('base64');
  const k1 = newKey('k1');
  const k2 = newKey('k2');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let handle: DatabaseHandle;
  const numbers: string[] = [];
  const notes = new Map<string, string>();
  const queuedReplyId = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('keyrot');
    handle = await openDatabase({ database: { url: db.url, dataDir: '/nonexistent' } });
    // written under k1: three consented contacts, each with a callback request and a staff note
    const old = servicesFor(handle, k1, blindKey);
    const [staff] = await handle.db
      .insert(staffUsers)
      .values({ email: 'a@example.org', displayName: 'A', passwordHash: 'x', role: 'agent', createdAt: new Date(), updatedAt: new Date() })
      .returning();
    // and the account's second-factor secret, bound to its row like the repository writes it
    const totp = old.cipher.encrypt(TOTP_SECRET, totpContext(staff!.id));
    await handle.db.update(staffUsers).set({ totpSecretEnc: totp.token, totpSecretKeyId: totp.kid }).where(eq(staffUsers.id, staff!.id));
    for (let i = 0; i < 3; i++) {
      const number = malianNumber();
      numbers.push(number);
      const contact = await old.contacts.findOrCreate('sms', number, 'twilio');
      await old.contacts.giveConsent(contact.id, 'callback-2026-01', number);
      const created = await old.requests.create(
        { contactId: contact.id, channel: 'sms', topic: 'other', urgent: false, callLanguage: 'fr', windows: [{ days: [1], fromMinute: 480, toMinute: 720 }], voicemailSafe: false, smsSafe: false, number, consentVersion: 'callback-2026-01' },
        new Date(),
      );
      const id = randomUUID();
      const note = `note ${i} ${randomBytes(4).toString('hex')}`;
      notes.set(id, note);
      const { token, kid } = old.cipher.encrypt(note, `callback_outcomes:${id}`);
      await handle.db.insert(callbackOutcomes).values({ id, requestId: created.request.id, staffId: staff!.id, outcome: 'no_answer', attempt: 1, noteEnc: token, noteKeyId: kid, at: new Date() });
    }
    // and a reply still queued to the first of them: its row keeps her address until it is sent
    const reply = old.cipher.encrypt(numbers[0]!, outboundAddressContext(queuedReplyId));
    await handle.db.insert(outboundMessages).values({ id: queuedReplyId, channel: 'sms', contactId: null, kind: 'reply', addressEnc: reply.token, addressKeyId: reply.kid });
  });

  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('re-encrypts every address, number, note and second-factor secret under the new key; none stays under the old; all decrypt without it', async () => {
    const report = await servicesFor(handle, `${k2},${k1}`, blindKey).rotation.rotate();
    expect(report.activeKid).toBe('k2');
    expect(report.reencrypted).toEqual({ 'contacts.address': 3, 'callback_requests.number': 3, 'callback_outcomes.note': 3, 'outbound_messages.address': 1, 'staff_users.totp': 1, 'staff_users.phone': 0 });
    expect(report.remaining).toEqual({ 'contacts.address': 0, 'callback_requests.number': 0, 'callback_outcomes.note': 0, 'outbound_messages.address': 0, 'staff_users.totp': 0, 'staff_users.phone': 0 });

    // no token and no key-id column still names k1
    const tokens = [
      ...(await handle.db.select({ t: contacts.addressEnc, k: contacts.addressKeyId }).from(contacts)),
      ...(await handle.db.select({ t: callbackRequests.numberEnc, k: callbackRequests.numberKeyId }).from(callbackRequests)),
      ...(await handle.db.select({ t: callbackOutcomes.noteEnc, k: callbackOutcomes.noteKeyId }).from(callbackOutcomes)),
      ...(await handle.db.select({ t: staffUsers.totpSecretEnc, k: staffUsers.totpSecretKeyId }).from(staffUsers)),
      ...(await handle.db.select({ t: outboundMessages.addressEnc, k: outboundMessages.addressKeyId }).from(outboundMessages)),
    ];
    expect(tokens).toHaveLength(11);
    for (const { t, k } of tokens) {
      expect(k).toBe('k2');
      expect(AddressCipher.keyIdOf(t!)).toBe('k2');
    }

    // with k1 gone from the ring, everything still reads, and the blind index still finds her
    const fresh = servicesFor(handle, k2, blindKey);
    for (const number of numbers) {
      const contact = await fresh.contacts.findByAddress('sms', number);
      expect(await fresh.contacts.revealAddress(contact!.id)).toBe(number);
      const [req] = await fresh.requests.listByContact(contact!.id);
      expect(await fresh.requests.revealNumber(req!.id)).toBe(number);
    }
    for (const row of await handle.db.select().from(callbackOutcomes)) {
      expect(fresh.cipher.decrypt(row.noteEnc!, `callback_outcomes:${row.id}`)).toBe(notes.get(row.id));
    }
    const [account] = await handle.db.select().from(staffUsers);
    expect(fresh.cipher.decrypt(account!.totpSecretEnc!, totpContext(account!.id))).toBe(TOTP_SECRET);
    const [queued] = await handle.db.select().from(outboundMessages).where(eq(outboundMessages.id, queuedReplyId));
    expect(fresh.cipher.decrypt(queued!.addressEnc!, outboundAddressContext(queuedReplyId))).toBe(numbers[0]);
    // a second run has nothing to do
    expect((await fresh.rotation.rotate()).reencrypted).toEqual({ 'contacts.address': 0, 'callback_requests.number': 0, 'callback_outcomes.note': 0, 'outbound_messages.address': 0, 'staff_users.totp': 0, 'staff_users.phone': 0 });
  });

  it('the keys:rotate command rotates with the configured ring and prints counts, never a key or a number', async () => {
    const k3 = newKey('k3');
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      SIRA_ENCRYPTION_KEYS: `${k3},${k2}`,
      SIRA_BLIND_INDEX_KEY: blindB64,
    };
    const root = join(__dirname, '..', '..');
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), ['src/cli/rotate-keys.cli.ts'], { cwd: root, env });
    expect(stdout).toContain('active key: k3');
    expect(stdout).toContain('contacts.address: 3 re-encrypted, 0 remaining');
    expect(stdout).toContain('callback_requests.number: 3 re-encrypted, 0 remaining');
    expect(stdout).toContain('callback_outcomes.note: 3 re-encrypted, 0 remaining');
    expect(stdout).toContain('outbound_messages.address: 1 re-encrypted, 0 remaining');
    expect(stdout).toContain('staff_users.totp: 1 re-encrypted, 0 remaining');
    expect(stdout).not.toContain(TOTP_SECRET);
    for (const secret of [k3.split(':')[1]!, k2.split(':')[1]!, ...numbers]) expect(stdout).not.toContain(secret);
    const kids = await handle.db.select({ k: contacts.addressKeyId }).from(contacts);
    expect(kids.every((r) => r.k === 'k3')).toBe(true);
    const contact = await servicesFor(handle, k3, blindKey).contacts.findByAddress('sms', numbers[0]!);
    expect(contact).toBeDefined();
  });

  it('the command fails with exit code 1, naming only the key id, when a stored value is under a key missing from the ring', async () => {
    const root = join(__dirname, '..', '..');
    const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url, SIRA_ENCRYPTION_KEYS: newKey('k4'), SIRA_BLIND_INDEX_KEY: blindB64 };
    const failed = await run(join(root, 'node_modules', '.bin', 'tsx'), ['src/cli/rotate-keys.cli.ts'], { cwd: root, env }).then(
      () => undefined,
      (err: { code?: number; stderr?: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('key k3 is not in the key ring');
  });
});
