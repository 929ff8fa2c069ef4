import { eq } from 'drizzle-orm';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { ManualClock } from '../../src/common/clock';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { SubscriptionRenewals } from '../../src/broadcasts/subscription-renewals';
import { subscriptions } from '../../src/broadcasts/subscriptions.schema';
import { contactPreferences } from '../../src/privacy/privacy.schema';
import { StaffStatsService, suppressSmall } from '../../src/staff/staff-stats.service';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { startApp, type TestApp } from '../support/app-harness';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { contentTexts, inboundParams, postTwilio, twilioEnv } from '../sms/twilio-test.harness';

jest.setTimeout(120_000);

const DAY = 86_400_000;

/**
 * Issue 26, news subscriptions end to end over SMS: signed Twilio webhooks to the whole running app, her
 * replies and the keep-it question caught by a fake Twilio, her rows read back from PostgreSQL. The clock
 * is the app's own (a ManualClock moved by the test): subscription dates, the expiry job.
 */
describe('news subscriptions over SMS (Twilio signatures, the running app)', () => {
  const prefix = testPrefix('news');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  const { translator } = contentTexts();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let database: Database;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('news');
    app = await startApp({ prefix, databaseUrl: db.url, env: twilioEnv(fake), spoolIntervalMs: 200, clock });
    database = app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** She texts `body`; resolves once the replies stop arriving at the fake, as one text. */
  async function say(from: string, body: string): Promise<string> {
    const before = fake.bodiesTo(from).length;
    const res = await postTwilio({ url: app.url } as never, TWILIO_SMS_PATH, inboundParams(from, body));
    expect(res.status).toBe(200);
    await eventually(() => fake.bodiesTo(from).length > before, 10_000, `replies to "${body}"`);
    await settle(from);
    return fake.bodiesTo(from).slice(before).join('\n');
  }

  async function settle(from: string) {
    let count = -1;
    while (count !== fake.bodiesTo(from).length) {
      count = fake.bodiesTo(from).length;
      await sleep(250);
    }
  }

  const text = (language: string, key: string, params: Record<string, string | number> = {}) =>
    applySmsSpelling(translator.t(language)(key, params), language, ['bm', 'fr']);

  async function rowsOf(from: string) {
    const contact = await app.get<ContactsRepository>(ContactsRepository).findByAddress('sms', from);
    if (!contact) return [];
    return database.select().from(subscriptions).where(eq(subscriptions.contactId, contact.id));
  }

  async function startIn(from: string, language: 'fr' | 'en' | 'bm') {
    await say(from, 'Bonjour');
    await say(from, { fr: '1', bm: '2', en: '3' }[language]);
  }

  it('fr by the main menu: the consent says SMS, how many and how long; yes stores it with its date, version and her number', async () => {
    const from = malianNumber();
    await startIn(from, 'fr');
    expect(await say(from, '7')).toContain(text('fr', 'news:choose.prompt'));
    const consent = await say(from, '1');
    expect(consent).toContain('un SMS court quand il y a du nouveau, au plus 2 par mois, pendant 6 mois');
    expect(await say(from, '1')).toContain(text('fr', 'news:subscribed', { months: 6 }));
    const [row] = await rowsOf(from);
    expect(row).toMatchObject({ topic: 'reparations', consentVersion: 'news-2026-12', endedAt: null, renewalAskedAt: null });
    expect(row!.subscribedAt.toISOString()).toBe('2026-01-05T09:00:00.000Z');
    expect(row!.expiresAt.toISOString()).toBe('2026-07-05T09:00:00.000Z');
    const contact = await app.get<ContactsRepository>(ContactsRepository).findByAddress('sms', from);
    expect(contact).toMatchObject({ hasAddress: true, consentState: 'given' });
  });

  it('en by the word NEWS, then STOP NEWS ends it and says so', async () => {
    const from = malianNumber();
    await startIn(from, 'en');
    expect(await say(from, 'NEWS')).toContain(text('en', 'news:choose.prompt'));
    expect(await say(from, '2')).toContain('a short SMS when there is news, at most 2 a month, for 6 months');
    expect(await say(from, 'yes')).toContain(text('en', 'news:subscribed', { months: 6 }));
    expect((await rowsOf(from))[0]).toMatchObject({ topic: 'testimony', endedAt: null });
    expect(await say(from, 'STOP NEWS')).toContain(text('en', 'news:stopped'));
    expect((await rowsOf(from))[0]).toMatchObject({ topic: 'testimony', endReason: 'stop_news' });
    expect(await say(from, 'stop news')).toContain(text('en', 'news:none'));
  });

  it('bm: the menu path works, the texts in French by the content fallback; STOP NOUVELLES too', async () => {
    const from = malianNumber();
    await startIn(from, 'bm');
    expect(await say(from, '7')).toContain(text('fr', 'news:choose.prompt'));
    await say(from, '1');
    expect(await say(from, '1')).toContain(text('fr', 'news:subscribed', { months: 6 }));
    expect((await rowsOf(from)).map((r) => r.topic)).toEqual(['reparations']);
    expect(await say(from, 'NOUVELLES')).toContain(text('fr', 'news:choose.prompt'));
    await say(from, '2');
    await say(from, '1');
    expect((await rowsOf(from)).map((r) => r.topic).sort()).toEqual(['reparations', 'testimony']);
    expect(await say(from, 'STOP NOUVELLES')).toContain(text('fr', 'news:stopped'));
    expect((await rowsOf(from)).every((r) => r.endReason === 'stop_news')).toBe(true);
  });

  it('STOP ends every subscription (stop); EFFACER deletes them with her', async () => {
    const from = malianNumber();
    await startIn(from, 'fr');
    for (const topic of ['1', '2']) {
      await say(from, 'NOUVELLES');
      await say(from, topic);
      await say(from, '1');
    }
    expect((await rowsOf(from)).filter((r) => r.endedAt === null)).toHaveLength(2);
    await say(from, 'STOP');
    expect((await rowsOf(from)).map((r) => r.endReason)).toEqual(['stop', 'stop']);
    await say(from, 'START');
    await say(from, 'NOUVELLES');
    await say(from, '1');
    await say(from, '1');
    expect((await rowsOf(from)).filter((r) => r.endedAt === null)).toHaveLength(1);
    const contact = await app.get<ContactsRepository>(ContactsRepository).findByAddress('sms', from);
    await say(from, 'EFFACER');
    await say(from, '1');
    expect(await app.get<ContactsRepository>(ContactsRepository).findByAddress('sms', from)).toBeUndefined();
    expect(await database.select().from(subscriptions).where(eq(subscriptions.contactId, contact!.id))).toEqual([]);
  });

  it('discreet mode: she is told and nothing is stored until she lets Sira write first; turning discreet again ends it', async () => {
    const from = malianNumber();
    await startIn(from, 'fr');
    await say(from, 'SILENCE');
    await say(from, '1'); // never first
    await say(from, 'NOUVELLES');
    expect(await say(from, '1')).toContain(text('fr', 'news:discreet.prompt'));
    await say(from, '2'); // change nothing
    expect(await rowsOf(from)).toEqual([]);
    await say(from, 'NOUVELLES');
    await say(from, '1');
    expect(await say(from, '1')).toContain(text('fr', 'news:consent.reparations'));
    const contact = await app.get<ContactsRepository>(ContactsRepository).findByAddress('sms', from);
    expect((await database.select().from(contactPreferences).where(eq(contactPreferences.contactId, contact!.id)))[0]?.proactiveAllowed).toBe(true);
    await say(from, '1');
    expect((await rowsOf(from))[0]).toMatchObject({ endedAt: null });
    await say(from, 'SILENCE');
    await say(from, '1');
    expect((await rowsOf(from))[0]).toMatchObject({ endReason: 'discreet' });
  });

  it('near expiry: ONE neutral keep-it SMS; NOUVELLES then yes renews; no answer ends it (expired)', async () => {
    const renewals = app.get<SubscriptionRenewals>(SubscriptionRenewals);
    const keeper = malianNumber();
    const silent = malianNumber();
    for (const from of [keeper, silent]) {
      await startIn(from, 'fr');
      await say(from, 'NOUVELLES');
      await say(from, '1');
      await say(from, '1');
    }
    await renewals.runNow();
    expect(await rowsOf(keeper)).toMatchObject([{ renewalAskedAt: null }]);

    clock.advance(170 * DAY); // 11 days before the six months end: within the 14 days' grace
    const before = { keeper: fake.bodiesTo(keeper).length, silent: fake.bodiesTo(silent).length };
    expect(await renewals.runNow()).toMatchObject({ asked: expect.any(Number) });
    await eventually(() => fake.bodiesTo(keeper).length > before.keeper && fake.bodiesTo(silent).length > before.silent, 10_000, 'keep-it questions');
    await renewals.runNow(); // a second run asks nobody again
    await settle(keeper);
    const question = fake.bodiesTo(keeper).slice(before.keeper);
    expect(question).toEqual([text('fr', 'news:proactive.keep', { days: 14 })]);
    expect(fake.bodiesTo(silent).slice(before.silent)).toEqual(question);
    expect(question[0]).not.toMatch(/r[ée]paration|t[ée]moign|AGRV|CVJR/i);

    expect(await say(keeper, 'NOUVELLES')).toContain(text('fr', 'news:renewal.prompt'));
    expect(await say(keeper, '1')).toContain(text('fr', 'news:renewed', { months: 6 }));
    const [renewed] = await rowsOf(keeper);
    expect(renewed).toMatchObject({ renewalAskedAt: null, endedAt: null });
    expect(renewed!.expiresAt.getTime()).toBeGreaterThan(clock.now() + 170 * DAY);

    clock.advance(15 * DAY);
    await renewals.runNow();
    expect((await rowsOf(silent))[0]).toMatchObject({ endReason: 'expired' });
    expect((await rowsOf(keeper))[0]).toMatchObject({ endedAt: null });
  });

  it('staff stats: active subscribers per topic, small numbers shown as "< 10"', async () => {
    const stats = await app.get<StaffStatsService>(StaffStatsService).summary();
    expect(stats.subscribers).toEqual({ reparations: '< 10', testimony: '< 10' });
    expect(suppressSmall(0, 10)).toBe('< 10');
    expect(suppressSmall(9, 10)).toBe('< 10');
    expect(suppressSmall(10, 10)).toBe(10);
  });
});
