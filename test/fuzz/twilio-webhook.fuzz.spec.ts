import fc from 'fast-check';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { inboundParams, startSmsApp, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { FUZZ_RUNS, fuzzParameters, watchUnhandledRejections } from './hostile.arbitraries';
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

  beforeAll(async () => {
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
    const failures: string[] = [];
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(twilioCase(TWILIO_SMS_PATH), async (c: TwilioCase) => {
        cases++;
        const status = await post(c.body, c.signature);
        if (status >= 500) failures.push(`status ${status} for ${JSON.stringify(c.body.slice(0, 300))}`);
        const answered = await nextMessageAnswered(c.from);
        if (!answered) failures.push(`no answer after ${JSON.stringify(c.body.slice(0, 300))}`);
        if (status >= 500 || !answered) throw new Error(`status ${status}, next message answered: ${answered}`);
      }),
      fuzzParameters(),
    );
    console.log(`twilio sms fuzz: ${cases} cases, ${failures.length} failures, ${rejections.count()} unhandled rejections`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(rejections.count()).toBe(0);
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
  });
});
