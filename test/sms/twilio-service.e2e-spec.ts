import { smsCost } from '../../src/common/sms-segments';
import { applySmsSpelling } from '../../src/common/sms-spelling';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { ensureBuilt, startService, type RunningService } from '../support/service-process';
import { eventually, malianNumber, sleep, SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { contentTexts, inboundParams, PUBLIC_BASE_URL, twilioSignature } from './twilio-test.harness';

jest.setTimeout(180_000);

/**
 * The acceptance run: the compiled service started as `npm start` starts it, with the Twilio variables
 * set and TWILIO_API_BASE_URL at the fake; signed requests over HTTP; replies read at the fake.
 */
describe('the running service answers signed Twilio SMS (process, compiled build, embedded database)', () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let service: RunningService;
  const { content, translator } = contentTexts();

  beforeAll(async () => {
    ensureBuilt();
    await fake.start();
    service = await startService({
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_FROM: SERVICE_NUMBER,
      TWILIO_API_BASE_URL: fake.url,
      SMS_SEGMENTS_PER_SECOND: '20',
      LOG_LEVEL: 'debug',
    }, { freshEmbeddedDatabase: true });
  });

  afterAll(async () => {
    await service?.stop();
    await fake.stop();
  });

  async function say(from: string, body: string): Promise<string[]> {
    const before = fake.bodiesTo(from).length;
    const params = inboundParams(from, body);
    const res = await fetch(`${service.url}${TWILIO_SMS_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature(TWILIO_SMS_PATH, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    await eventually(() => fake.bodiesTo(from).length > before, 20_000, `replies to "${body}"`);
    let count = -1;
    while (count !== fake.bodiesTo(from).length) {
      count = fake.bodiesTo(from).length;
      await sleep(400);
    }
    return fake.bodiesTo(from).slice(before);
  }

  it.each([
    ['bm', 'I ni ce', '2'],
    ['fr', 'Bonjour', '1'],
  ])('reaches the reparations content in %s, every SMS at most 3 segments and GSM-7; no number in the logs', async (language, hello, choice) => {
    const from = malianNumber();
    await say(from, hello);
    await say(from, choice);
    const reparations = await say(from, '1');
    const flow = content.flowSet.flows['reparations']!;
    const overview = (flow.nodes[flow.start] as { text: string }).text;
    expect(reparations[0]).toBe(applySmsSpelling(translator.t(language)(overview), language, ['bm', 'fr']));
    for (const body of fake.bodiesTo(from)) {
      const cost = smsCost(body);
      expect([body, cost.encoding, cost.segments <= 3]).toEqual([body, 'GSM-7', true]);
    }
    expect(service.output()).not.toContain(from.slice(4));
    expect(service.output()).not.toContain(reparations[0]!.slice(0, 30));
  });
});
