import { randomUUID } from 'node:crypto';
import { HTTPSMS_WEBHOOK_SUFFIX } from '../../src/channels/sms-gateway/httpsms-webhook.controller';
import { signHttpSmsToken } from '../../src/channels/sms-gateway/httpsms-token';
import { SMS_GATEWAY_WEBHOOK_PATH } from '../../src/channels/sms-gateway/sms-gateway-webhook.controller';
import { TWILIO_VOICE_ANSWERED_PATH } from '../../src/channels/twilio-voice/twilio-voice.paths';
import { ReturnCalls } from '../../src/channels/voice/return-calls.service';
import { eventually, malianNumber, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { LogCapture, PUBLIC_BASE_URL, startApp, type TestApp } from '../support/app-harness';
import { FakeTwilioVoiceServer } from '../voice/fake-twilio-voice.server';
import { VOICE_NUMBER } from '../voice/voice-call.helpers';
import { newFakePhone } from './sms-gateway-test.harness';

/** The relay phone's own (Malian) number: the local number she calls for free. */
const RELAY_NUMBER = '+22376000001';

describe('a missed call on a relay phone (httpSMS message.call.missed) is a flash: Sira calls her back once', () => {
  const phone = newFakePhone();
  const twilio = new FakeTwilioVoiceServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const logs = new LogCapture();
  const path = `${SMS_GATEWAY_WEBHOOK_PATH}/bamako/${HTTPSMS_WEBHOOK_SUFFIX}`;
  let app: TestApp;
  let returnCalls: ReturnCalls;
  const numbers: string[] = [];

  /** An httpSMS event as its server posts it: CloudEvents JSON, X-Event-Type, a bearer JWT for this URL. */
  const post = (type: string, data: Record<string, unknown>, token: string | null = signHttpSmsToken(phone.signingKey, `${PUBLIC_BASE_URL}${path}`, Date.now()), to = path) =>
    fetch(`${app.url}${to}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-event-type': type, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ data, datacontenttype: 'application/json', id: randomUUID(), source: '/v1/events', specversion: '1.0', time: new Date().toISOString(), type }),
    });
  const missed = (her: string, token?: string | null, to?: string) => {
    numbers.push(her);
    return post('message.call.missed', { message_id: randomUUID(), user_id: 'relay-user', owner: RELAY_NUMBER, contact: her, timestamp: new Date().toISOString(), sim: 'SIM1' }, token, to);
  };
  const placedTo = (her: string) => twilio.placed().filter((c) => c.to === her);
  const settled = () => eventually(async () => (await returnCalls.pending()) === 0, 10_000, 'the return-call queue to drain');

  beforeAll(async () => {
    await phone.start();
    await twilio.start();
    app = await startApp({
      label: 'relay_flash',
      twilio,
      relay: [{ id: 'bamako', phone: 'bamako', fake: phone }],
      logs,
      logLevel: 'debug',
      env: {
        TWILIO_VOICE_NUMBERS: VOICE_NUMBER,
        VOICE_FLASH_DELAY_SECONDS: '0',
        // whatever the hour the suite runs at (the hours themselves are tested in test/voice/return-calls)
        VOICE_CALL_HOURS: '00:00-24:00',
      },
    });
    returnCalls = app.get(ReturnCalls);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await twilio.stop();
    await phone.stop();
  });

  it('places exactly one Twilio return call to her, from the voice number, with machine detection; a second missed call in the cooldown places none', async () => {
    const her = malianNumber();
    expect((await missed(her)).status).toBe(200);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the return call');
    const cooldowns = (await returnCalls.refusalsToday()).cooldown ?? 0;
    expect((await missed(her)).status).toBe(200);
    expect((await returnCalls.refusalsToday()).cooldown).toBe(cooldowns + 1);
    await settled();
    expect(placedTo(her)).toHaveLength(1);
    expect(placedTo(her)[0]).toMatchObject({ from: VOICE_NUMBER, machineDetection: 'Enable', url: `${PUBLIC_BASE_URL}${TWILIO_VOICE_ANSWERED_PATH}` });
  }, 30_000);

  it('refuses a missing, forged or replayed-elsewhere token (403) and calls no one', async () => {
    const her = malianNumber();
    expect((await missed(her, null)).status).toBe(403);
    expect((await missed(her, signHttpSmsToken('not-the-phone-key', `${PUBLIC_BASE_URL}${path}`, Date.now()))).status).toBe(403);
    expect((await missed(her, signHttpSmsToken(phone.signingKey, `${PUBLIC_BASE_URL}/webhooks/other`, Date.now()))).status).toBe(403);
    const unknownPhone = `${SMS_GATEWAY_WEBHOOK_PATH}/nowhere/${HTTPSMS_WEBHOOK_SUFFIX}`;
    expect((await missed(her, signHttpSmsToken(phone.signingKey, `${PUBLIC_BASE_URL}${unknownPhone}`, Date.now()), unknownPhone)).status).toBe(403);
    await settled();
    expect(placedTo(her)).toEqual([]);
  });

  it('acknowledges other httpSMS events without acting, and names bad fields without echoing them', async () => {
    const her = malianNumber();
    expect((await post('message.phone.received', { contact: her, content: 'bonjour', owner: RELAY_NUMBER })).status).toBe(200);
    const bad = await missed('0612');
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('data.contact');
    expect(text).not.toContain('0612');
    await settled();
    expect(placedTo(her)).toEqual([]);
  });

  it('logs no number', () => {
    const real = numbers.filter((n) => n.startsWith('+223'));
    expect(real.length).toBeGreaterThan(3);
    for (const number of real) expect(logs.text()).not.toContain(number.slice(-8));
    expect(logs.text()).toMatch(/missed call, return call scheduled/);
  });
});
