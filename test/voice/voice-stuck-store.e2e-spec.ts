import { createClient } from 'redis';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { startOwnRedis, type OwnRedis } from '../callbacks/own-redis';
import { createTestDatabase, malianNumber, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { contentTexts, startSmsApp, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { FakeCall, VOICE_NUMBER } from './voice-call.helpers';

/** A call must never meet silence: when the store hangs, she hears a short apology and the call ends. */
describe('voice: a stuck store', () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const fr = contentTexts().translator.t('fr');
  let redis: OwnRedis;
  let db: { url: string; drop(): Promise<void> };
  let app: RunningSmsApp;

  beforeAll(async () => {
    await fake.start();
    redis = await startOwnRedis();
    db = await createTestDatabase('voice_stuck');
    app = await startSmsApp(testPrefix('voice-stuck'), db.url, twilioEnv(fake, { TWILIO_VOICE_NUMBERS: VOICE_NUMBER, VOICE_ANSWER_TIMEOUT_MS: '1000', REDIS_URL: redis.url }));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await redis?.dispose();
    await db?.drop();
  });

  it('answers within the deadline with the apology and a hang-up while Redis does not answer', async () => {
    const call = new FakeCall(app, malianNumber());
    expect((await call.dial()).action).toBeDefined();
    const admin = createClient({ url: redis.url });
    await admin.connect();
    // every client of this Redis waits for 5 s: far past VOICE_ANSWER_TIMEOUT_MS
    await admin.sendCommand(['CLIENT', 'PAUSE', '5000', 'ALL']);
    try {
      const stuck = await call.press('1');
      expect(stuck.said).toEqual([fr('voice:apology')]);
      expect(stuck.hangup).toBe(true);
    } finally {
      await admin.sendCommand(['CLIENT', 'UNPAUSE']).catch(() => undefined);
      await admin.quit().catch(() => undefined);
    }
  }, 30_000);
});
