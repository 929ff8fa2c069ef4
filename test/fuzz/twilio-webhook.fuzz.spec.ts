import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { inboundParams, startSmsApp, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { drawFuzzCases, FUZZ_RUNS, FUZZ_WIDTH, runFuzzCases, watchUnhandledRejections } from './hostile.arbitraries';
import { ReplyRecorder } from './reply-recorder';
import { signForm, twilioCase, type TwilioCase } from './twilio-form.arbitrary';

jest.setTimeout(Math.max(240_000, FUZZ_RUNS * 120));

/**
 * Hostile Twilio forms, correctly signed so that they reach the handler: every answer is below 500,
 * nothing is left unhandled, and her conversation still answers the next message she sends.
 */
describe(`the Twilio SMS webhook under ${FUZZ_RUNS} hostile signed forms`, () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const prefix = testPrefix('fuzz_sms');
  const rejections = watchUnhandledRejections();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sms: RunningSmsApp;
  let replies: ReplyRecorder;
  let drawn: TwilioCase[];

  beforeAll(async () => {
    drawn = drawFuzzCases(twilioCase(TWILIO_SMS_PATH));
    db = await createTestDatabase('fuzz_sms');
    await fake.start();
    sms = await startSmsApp(prefix, db.url, twilioEnv(fake, { SMS_DAILY_SEGMENTS: '10000000', SMS_SENDER_DAILY_SEGMENTS: '100000' }));
    replies = ReplyRecorder.install(sms.app, 'sms');
  });

  afterAll(async () => {
    rejections.stop();
    await sms?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  async function post(body: string, signature: string): Promise<number> {
    const res = await fetch(`${sms.url}${TWILIO_SMS_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** Her next message, plain "0" (the menu): it must be answered whatever came before. */
  async function nextMessageAnswered(from: string): Promise<boolean> {
    const before = replies.repliesTo(from);
    const body = new URLSearchParams(inboundParams(from, '0')).toString();
    const status = await post(body, signForm(TWILIO_SMS_PATH, body));
    return status === 200 && replies.repliesTo(from) > before;
  }

  it('answers every case below 500, leaves no rejection unhandled, and her next message is answered', async () => {
    const { cases, failures } = await runFuzzCases(drawn, async (c: TwilioCase) => {
      const status = await post(c.body, c.signature);
      if (status >= 500) return `status ${status} for ${JSON.stringify(c.body.slice(0, 300))}`;
      if (!(await nextMessageAnswered(c.from))) return `no answer after ${JSON.stringify(c.body.slice(0, 300))}`;
      return undefined;
    });
    console.log(`twilio sms fuzz: ${cases} cases (${FUZZ_WIDTH} at a time), ${failures.length} failures, ${rejections.count()} unhandled rejections`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(rejections.count()).toBe(0);
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
  });
});
