import { eq } from 'drizzle-orm';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { inboundParams, postTwilio, startSmsApp, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { FUZZ_RUNS, FUZZ_WIDTH, runFuzzCases, watchUnhandledRejections } from './hostile.arbitraries';
import { statusCase, type StatusCase } from './twilio-status.arbitrary';

jest.setTimeout(Math.max(240_000, FUZZ_RUNS * 120));

/**
 * Hostile delivery receipts, correctly signed so that they reach the handler: every answer is below
 * 500, nothing is left unhandled, the one real row they may name never goes backwards, and a row
 * they never touched still advances from a valid receipt afterwards.
 */
describe(`the Twilio status webhook under ${FUZZ_RUNS} hostile signed receipts`, () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const prefix = testPrefix('fuzz_status');
  const rejections = watchUnhandledRejections();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sms: RunningSmsApp;
  let database: Database;

  beforeAll(async () => {
    db = await createTestDatabase('fuzz_status');
    await fake.start();
    sms = await startSmsApp(prefix, db.url, twilioEnv(fake));
    database = sms.app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    rejections.stop();
    await sms?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const rowOf = async (sid: string) => (await database.select().from(outboundMessages).where(eq(outboundMessages.providerId, sid)))[0];

  /** She texts Sira; the provider id of the first reply once its row is recorded `sent`. */
  async function sentReply(from: string): Promise<string> {
    expect((await postTwilio(sms, TWILIO_SMS_PATH, inboundParams(from, 'Bonjour'))).status).toBe(200);
    await eventually(() => fake.messages.some((m) => m.to === from), 10_000, 'a reply at the fake Twilio');
    const sid = fake.messages.find((m) => m.to === from)!.sid;
    await eventually(async () => (await rowOf(sid))?.status === 'sent', 10_000, 'the reply recorded sent');
    return sid;
  }

  async function post(c: StatusCase): Promise<number> {
    const res = await fetch(`${sms.url}${TWILIO_STATUS_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': c.signature },
      body: c.body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('answers every case below 500, leaves no rejection unhandled, and receipts still move rows forward only', async () => {
    const fuzzed = await sentReply('+22370000011');
    const untouched = await sentReply('+22370000012');
    const codes = new Map<number, number>();
    let namingRow = 0;
    // several receipts in flight at once, as Twilio sends them: the row must still only move forward
    const { cases, failures } = await runFuzzCases(statusCase(TWILIO_STATUS_PATH, fuzzed), async (c: StatusCase) => {
      if (c.namesRow) namingRow++;
      const code = await post(c);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      return code >= 500 ? `status ${code} for ${JSON.stringify(c.body.slice(0, 300))}` : undefined;
    });
    console.log(`twilio status fuzz: ${cases} cases (${FUZZ_WIDTH} at a time, ${namingRow} naming a real row), answers ${JSON.stringify(Object.fromEntries(codes))}, ${rejections.count()} unhandled rejections`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(rejections.count()).toBe(0);
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
    // signed, so none is refused as forged: hostile values reach the form check and the handler
    expect(codes.get(403) ?? 0).toBe(0);
    expect(codes.get(200) ?? 0).toBeGreaterThan(0);
    expect(codes.get(400) ?? 0).toBeGreaterThan(0);

    // the row the fuzz named was only ever moved forward from `sent`
    expect(['sent', 'delivered', 'undelivered', 'failed']).toContain((await rowOf(fuzzed))?.status);
    // a row it never named is as it was, and a valid receipt still moves it forward, never back
    expect((await rowOf(untouched))?.status).toBe('sent');
    const receipt = (MessageStatus: string) => postTwilio(sms, TWILIO_STATUS_PATH, { MessageSid: untouched, AccountSid: TEST_ACCOUNT_SID, MessageStatus });
    expect((await receipt('delivered')).status).toBe(200);
    expect((await rowOf(untouched))?.status).toBe('delivered');
    expect((await receipt('sent')).status).toBe(200);
    expect((await rowOf(untouched))?.status).toBe('delivered');
  });
});
