import { SmsRouter } from '../../src/channels/sms/sms-router';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { connectRedis } from '../../src/redis/redis.module';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { inboundParams, postTwilio, twilioEnv } from '../sms/twilio-test.harness';
import { newFakePhone, receivedPayload, relayEnv, settle, startRelayApp, webhookUrl } from './sms-gateway-test.harness';

jest.setTimeout(60_000);

describe('Twilio and a relay phone side by side: each contact is answered through the line she wrote through', () => {
  const prefix = testPrefix('sidebyside');
  const twilio = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const phone = newFakePhone();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Awaited<ReturnType<typeof startRelayApp>>;
  let contacts: ContactsRepository;

  beforeAll(async () => {
    await twilio.start();
    await phone.start();
    db = await createTestDatabase('sidebyside');
    app = await startRelayApp(prefix, db.url, { ...twilioEnv(twilio), ...relayEnv([{ id: 'orange', fake: phone, simNumber: 1 }]) });
    contacts = app.app.get(ContactsRepository);
  });

  afterAll(async () => {
    await app?.close();
    await twilio.stop();
    await phone.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const total = (to: string) => twilio.bodiesTo(to).length + phone.textsTo(to).length;

  async function viaTwilio(from: string, body: string) {
    const before = total(from);
    expect((await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, body))).status).toBe(200);
    await eventually(() => total(from) > before, 10_000, 'replies');
    await settle(() => total(from));
  }

  async function viaRelay(from: string, text: string) {
    const before = total(from);
    const res = await phone.webhook(webhookUrl(app, 'orange'), 'sms:received', receivedPayload(from, text), { timestamp: Math.floor(app.clock.now() / 1000) });
    expect(res.status).toBe(200);
    await eventually(() => total(from) > before, 10_000, 'replies');
    await settle(() => total(from));
  }

  it('answers a Twilio contact through Twilio and a relay contact through the phone, never the other way', async () => {
    const viaT = malianNumber();
    const viaR = malianNumber();
    await Promise.all([viaTwilio(viaT, 'Bonjour'), viaRelay(viaR, 'I ni ce')]);
    await Promise.all([viaTwilio(viaT, '1'), viaRelay(viaR, '2')]);
    expect(twilio.bodiesTo(viaT).length).toBeGreaterThan(1);
    expect(phone.textsTo(viaT)).toEqual([]);
    expect(phone.textsTo(viaR).length).toBeGreaterThan(1);
    expect(twilio.bodiesTo(viaR)).toEqual([]);
    expect((await contacts.findByAddress('sms', viaT))!.source).toBe('twilio');
    expect((await contacts.findByAddress('sms', viaR))!.source).toBe('sms-gateway:orange');
  });

  it('follows her to the relay when she writes there after Twilio, and falls back to her first line when the memory is gone', async () => {
    const from = malianNumber();
    await viaTwilio(from, 'Bonjour');
    const onTwilio = twilio.bodiesTo(from).length;
    await viaRelay(from, '1');
    expect(twilio.bodiesTo(from).length).toBe(onTwilio);
    expect(phone.textsTo(from).length).toBeGreaterThan(0);

    const contact = (await contacts.findByAddress('sms', from))!;
    const router = app.app.get(SmsRouter);
    expect(await router.lineFor(from, contact.id)).toBe('sms-gateway:orange');
    const redis = await connectRedis(TEST_REDIS_URL);
    try {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:sms:line:*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
    } finally {
      await redis.close();
    }
    // Redis forgot: her contact's source (the line she first wrote through) decides.
    expect(await router.lineFor(from, contact.id)).toBe('twilio');
    expect(router.lineIds().sort()).toEqual(['sms-gateway:orange', 'twilio']);
  });
});
