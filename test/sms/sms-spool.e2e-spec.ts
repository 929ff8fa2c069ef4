import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { SmsSpool } from '../../src/channels/sms/sms-spool';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { ConversationService } from '../../src/conversations/conversation.service';
import { connectRedis } from '../../src/redis/redis.module';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { startOwnPostgres, type OwnPostgres } from './own-postgres';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { contentTexts, inboundParams, postTwilio, startSmsApp, twilioEnv, type RunningSmsApp } from './twilio-test.harness';

jest.setTimeout(120_000);

describe('SMS spool: PostgreSQL down (a server of its own, stopped on purpose)', () => {
  const prefix = testPrefix('spool');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let pg: OwnPostgres;
  let app: RunningSmsApp;
  const { content, translator } = contentTexts();

  beforeAll(async () => {
    await fake.start();
    pg = await startOwnPostgres();
    const db = await createTestDatabase('spool', pg.url);
    app = await startSmsApp(prefix, db.url, twilioEnv(fake));
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    pg?.dispose();
  });

  it('answers 200 while the database is down, keeps her messages (encrypted) and handles them in order once it is back', async () => {
    const from = malianNumber();
    const other = malianNumber();
    pg.stop();
    const sent = [
      [from, 'Bonjour'],
      [other, 'Bonjour'],
      [from, '1'],
      [from, '1'],
    ] as const;
    for (const [number, body] of sent) {
      const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(number, body));
      expect(res.status).toBe(200);
      expect(res.text).toContain('<Response/>');
    }
    const spool = app.app.get(SmsSpool);
    expect(await spool.length()).toBe(4);
    await sleep(600);
    expect(fake.messages).toEqual([]);

    const redis = await connectRedis(TEST_REDIS_URL);
    const items = await redis.lRange(`${prefix}:sms:spool`, 0, -1);
    await redis.close();
    expect(items.join('\n')).not.toContain(from.slice(4));
    expect(items.join('\n')).not.toContain('Bonjour');

    pg.start();
    await eventually(async () => (await spool.length()) === 0, 30_000, 'spool drained');
    await eventually(() => fake.bodiesTo(from).length >= 3, 15_000, 'her replies');
    await sleep(500);

    // In order: Bonjour → language menu; 1 → French menu; 1 → reparations (so the French overview arrived).
    const contact = (await app.app.get(ContactsRepository).findByAddress('sms', from))!;
    expect(contact.language).toBe('fr');
    const bodies = fake.bodiesTo(from);
    const fr = (key: string) => applySmsSpelling(translator.t('fr')(key), 'fr', ['fr']);
    const flow = content.flowSet.flows['reparations']!;
    expect(bodies[0]).toMatch(/1 Francais/);
    expect(bodies[1]!.startsWith(fr('menu:prompt'))).toBe(true);
    expect(bodies[2]).toBe(fr((flow.nodes[flow.start] as { text: string }).text));
    expect(fake.bodiesTo(other).length).toBe(1);
  });

  it('handles messages directly again once the spool is empty and the database answers', async () => {
    const from = malianNumber();
    const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, 'Bonjour'));
    expect(res.status).toBe(200);
    expect(await app.app.get(SmsSpool).length()).toBe(0);
    await eventually(() => fake.bodiesTo(from).length === 1, 10_000, 'reply');
  });
  it('keeps a spooled message that fails just after recovery and handles it on a later round; drops only one that keeps failing', async () => {
    const spool = app.app.get(SmsSpool);
    const conversations = app.app.get(ConversationService);
    const [flaky, poison, behind] = [malianNumber(), malianNumber(), malianNumber()];
    const real = conversations.handle.bind(conversations);
    let flakyFailures = 0;
    const spy = jest.spyOn(conversations, 'handle').mockImplementation(async (msg) => {
      // a query on a connection the restart broke, twice; then it goes through
      if (msg.address === flaky && flakyFailures < 2) {
        flakyFailures++;
        throw new Error('Connection terminated unexpectedly');
      }
      if (msg.address === poison) throw new Error('always fails');
      return real(msg);
    });
    try {
      pg.stop();
      for (const number of [flaky, poison, behind]) expect((await postTwilio(app, TWILIO_SMS_PATH, inboundParams(number, 'Bonjour'))).status).toBe(200);
      pg.start();
      await eventually(async () => (await spool.length()) === 0, 60_000, 'spool drained');
    } finally {
      spy.mockRestore();
    }
    await eventually(() => fake.bodiesTo(flaky).length === 1 && fake.bodiesTo(behind).length === 1, 15_000, 'replies');
    expect(flakyFailures).toBe(2);
    expect(fake.bodiesTo(poison)).toEqual([]);
  });
});
