import { eq } from 'drizzle-orm';
import { smsCost } from '../../src/common/sms-segments';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { utcDay } from '../../src/channels/sms/sms-redis-keys';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { ManualClock } from '../../src/common/clock';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { StaffStatsService } from '../../src/staff/staff-stats.service';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { startApp } from '../support/app-harness';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { contentTexts, inboundParams, postTwilio, type RunningSmsApp } from './twilio-test.harness';

jest.setTimeout(60_000);

/**
 * Her own daily cap through the whole app (real Redis, PostgreSQL, fake Twilio): the app's clock is a
 * ManualClock, so "the next UTC day" is one step away.
 */
describe('SMS at her daily cap: one notice, then nothing until the cap resets', () => {
  const prefix = testPrefix('capnotice');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const clock = new ManualClock(Date.UTC(2026, 2, 10, 9, 0, 0));
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: RunningSmsApp;
  const { translator } = contentTexts();
  const notice = applySmsSpelling(translator.t('fr')('common:cap_reached'), 'fr', ['bm', 'fr']);

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('capnotice');
    app = await startApp({ prefix, databaseUrl: db.url, twilio: fake, env: { SMS_SENDER_DAILY_SEGMENTS: '8' }, clock, spoolIntervalMs: 200 });
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** She texts `body`; waits until nothing more arrives (at least `quietMs`); returns what she got. */
  async function say(from: string, body: string, quietMs = 1_000): Promise<string[]> {
    const before = fake.bodiesTo(from).length;
    const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, body));
    expect(res.status).toBe(200);
    let count = -1;
    const started = Date.now();
    while (count !== fake.bodiesTo(from).length || Date.now() - started < quietMs) {
      count = fake.bodiesTo(from).length;
      await sleep(250);
    }
    return fake.bodiesTo(from).slice(before);
  }

  const cappedToday = async () => {
    const { smsCappedContacts } = await app.app.get(StaffStatsService).summary();
    return smsCappedContacts.find((d) => d.day === utcDay(clock.now()))?.contacts;
  };

  it('she gets one short notice in French (GSM-7, 1 segment), nothing more that day, an answer the next day; staff see one capped contact', async () => {
    expect(notice).toMatch(/demain/);
    const from = malianNumber();
    const countedBefore = await cappedToday();
    expect(countedBefore).toBe(0);
    // language menu, French, the reparations answers: more than 8 segments in all
    const turns = ['Bonjour', '1', '1', '1', '0', '1'];
    for (const body of turns) {
      await say(from, body);
      if (fake.bodiesTo(from).includes(notice)) break;
    }
    const all = fake.bodiesTo(from);
    expect(all.filter((b) => b === notice)).toHaveLength(1);
    expect(all[all.length - 1]).toBe(notice);
    expect(smsCost(notice)).toMatchObject({ encoding: 'GSM-7', segments: 1 });

    // capped: whatever she writes today gets nothing, not even a second notice
    for (const body of ['menu', '1', 'Bonjour']) expect(await say(from, body)).toEqual([]);
    clock.advance(5 * 3600_000);
    expect(await say(from, 'menu')).toEqual([]);

    expect(await cappedToday()).toBe(1);
    const contact = (await app.app.get(ContactsRepository).findByAddress('sms', from))!;
    const rows = await app.app.get<Database>(DATABASE).select().from(outboundMessages).where(eq(outboundMessages.contactId, contact.id));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(all.length);

    // the next UTC day her cap is reset: she is answered again
    clock.advance(24 * 3600_000);
    const answered = await say(from, 'menu');
    expect(answered.length).toBeGreaterThan(0);
    expect(answered).not.toContain(notice);
    await eventually(async () => (await cappedToday()) === 0, 2_000, 'a new day starts with no capped contact');
  });
});
