import { smsCost } from '../../src/common/sms-segments';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { inboundParams, postTwilio, startSmsApp, twilioEnv, type RunningSmsApp } from './twilio-test.harness';

jest.setTimeout(60_000);

describe('SMS pacing: the outbound queue spends at most SMS_SEGMENTS_PER_SECOND', () => {
  const prefix = testPrefix('pacing');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: RunningSmsApp;
  const SEGMENT_MS = 250;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('pacing');
    app = await startSmsApp(prefix, db.url, twilioEnv(fake, { SMS_SEGMENTS_PER_SECOND: String(1000 / SEGMENT_MS) }));
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** She texts and waits until the replies stop arriving. */
  async function say(from: string, body: string) {
    const before = fake.bodiesTo(from).length;
    await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, body));
    await eventually(() => fake.bodiesTo(from).length > before, 20_000, `replies to ${body}`);
    let count = -1;
    while (count !== fake.bodiesTo(from).length) {
      count = fake.bodiesTo(from).length;
      await new Promise((r) => setTimeout(r, 600));
    }
  }

  it('never sends faster than one segment per interval, a long SMS holding the queue for all its segments', async () => {
    const senders = Array.from({ length: 3 }, () => malianNumber());
    await Promise.all(senders.map(async (from) => {
      for (const body of ['Bonjour', '1', '1']) await say(from, body);
    }));
    const sends = [...fake.messages].sort((a, b) => a.at - b.at);
    const segments = sends.map((m) => smsCost(m.body).segments);
    expect(sends.length).toBeGreaterThanOrEqual(9);
    expect(Math.max(...segments)).toBeGreaterThan(1);
    // Over any run of sends, the time taken covers the segments sent before the last one, less one
    // interval of slack for the latency between a job starting and its request reaching the provider.
    for (let i = 0; i < sends.length; i++) {
      let spent = 0;
      for (let j = i + 1; j < sends.length; j++) {
        spent += segments[j - 1]!;
        expect({ from: i, to: j, ms: sends[j]!.at - sends[i]!.at >= (spent - 1) * SEGMENT_MS }).toEqual({ from: i, to: j, ms: true });
      }
    }
  });
});
