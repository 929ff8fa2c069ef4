import { eq } from 'drizzle-orm';
import { callbackRequests } from '../../src/callbacks/callbacks.schema';
import { ManualClock } from '../../src/common/clock';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { BlindIndex } from '../../src/crypto/blind-index';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { RetentionService } from '../../src/privacy/retention.service';
import { REDIS, type RedisClient } from '../../src/redis/redis.module';
import { RedisKeys } from '../../src/redis/redis-keys';
import { malianNumber } from '../sms/sms-test.helpers';
import { startPrivacyApp, type PrivacyApp } from './privacy-harness';
import { decryptedSecrets, numberForms, say, scanEverywhere, smsCallback } from './privacy-flows';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Issue 19 §4: the privacy notice says her number is kept once the request is made and until
 * RETENTION_CLOSED_CALLBACK_DAYS after it ends, and that an unfinished request's answers go after
 * RETENTION_ABANDONED_MINUTES. The service runs for real (signed Twilio webhook, Redis, PostgreSQL);
 * the scans look at a pg_dump, every encrypted column decrypted with the service's own keys, and
 * every Redis key and value under its prefix.
 */
describe('her number is kept only with a confirmed request, and goes with it', () => {
  let app: PrivacyApp;
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    app = await startPrivacyApp({ label: 'unfinished', clock });
  });

  afterAll(async () => {
    await app?.close();
  });

  const contactOf = (number: string) => app.app.get(ContactsRepository).findByAddress('sms', number);
  const sessionKey = (number: string) => app.app.get(RedisKeys).session(app.app.get(BlindIndex).of('sms', number));
  const redis = () => app.app.get<RedisClient>(REDIS);

  /** Where her number is: the dump and Redis as text, and the decrypted secrets. */
  async function whereIs(number: string): Promise<{ database: string[]; redis: string[]; decrypted: string[] }> {
    const forms = numberForms(number);
    const hits = await scanEverywhere(app, forms);
    const decrypted = (await decryptedSecrets(app)).filter((secret) => forms.some((f) => secret.includes(f)));
    return { database: hits.database, redis: hits.redis, decrypted };
  }

  it('after consent and half the questions, nothing of her number is stored, and her answers go after an hour of silence', async () => {
    const her = malianNumber();
    // French, "a person calls me back", the notice, "yes", topic testimony, call in French — then silence
    const replies: string[] = [];
    for (const body of ['Bonjour', '1', '3', '1', '2', '1']) replies.push(...(await say(app, her, body)));
    expect(replies.join('\n')).toContain('dès la demande faite et jusqu\'à 90 jours après sa fin');
    expect(replies.join('\n')).toContain('effacée après 60 min');

    expect(await whereIs(her)).toEqual({ database: [], redis: [], decrypted: [] });
    expect(await contactOf(her)).toMatchObject({ consentState: 'none', consentVersion: null, hasAddress: false, language: 'fr' });
    // her answers so far wait in the session, which Redis keeps for at most RETENTION_ABANDONED_MINUTES
    const session = JSON.parse((await redis().get(sessionKey(her)))!) as { vars: Record<string, string> };
    expect(session.vars).toMatchObject({ topic: 'testimony', call_language: 'fr', _consent: 'callback-2026-12' });
    const ttl = await redis().pTTL(sessionKey(her));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60 * MINUTE);

    // an hour later the retention run (the backstop of that TTL) finds the unfinished session and deletes it
    clock.advance(61 * MINUTE);
    const report = await app.app.get(RetentionService).run();
    expect(report.sessions).toBeGreaterThanOrEqual(1);
    expect(await redis().get(sessionKey(her))).toBeNull();
    expect(await whereIs(her)).toEqual({ database: [], redis: [], decrypted: [] });
    // she comes back: her old answers are not read back, she is at the menu in her language
    expect((await say(app, her, '2')).join('\n')).toContain('Menu Sira');
    expect(await contactOf(her)).toMatchObject({ consentState: 'none', hasAddress: false, language: 'fr' });
  });

  it('leaving the callback questions for the menu forgets the answers at once', async () => {
    const her = malianNumber();
    for (const body of ['Bonjour', '1', '3', '1', '2']) await say(app, her, body);
    expect((JSON.parse((await redis().get(sessionKey(her)))!) as { vars: object }).vars).toMatchObject({ topic: 'testimony' });
    await say(app, her, '0');
    expect((JSON.parse((await redis().get(sessionKey(her)))!) as { vars: object }).vars).toEqual({});
  });

  it('a confirmed request stores her number with it; once it is closed and expired, the number is nowhere', async () => {
    const her = malianNumber();
    const code = await smsCallback(app, her);
    const contact = await contactOf(her);
    expect(contact).toMatchObject({ consentState: 'given', consentVersion: 'callback-2026-12', hasAddress: true });
    expect(await app.app.get(ContactsRepository).revealAddress(contact!.id)).toBe(her);
    // the scan sees a stored number: the request's and her contact row's, encrypted
    expect((await whereIs(her)).decrypted).toEqual([her, her]);

    const db = app.app.get<Database>(DATABASE);
    await db.update(callbackRequests).set({ status: 'completed', closedAt: new Date(clock.now()) }).where(eq(callbackRequests.refCode, code));
    clock.advance(91 * DAY);
    const report = await app.app.get(RetentionService).run();
    expect(report).toMatchObject({ callbackRequests: 1, contactAddresses: 1 });

    expect(await whereIs(her)).toEqual({ database: [], redis: [], decrypted: [] });
    // what the refusal text says is kept stays: her language (and an opt-out, had she sent STOP)
    expect(await contactOf(her)).toMatchObject({ consentState: 'none', hasAddress: false, language: 'fr', optedOut: false });
  });
});
