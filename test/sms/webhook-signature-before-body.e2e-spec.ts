import { request as httpRequest } from 'node:http';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { newFakePhone, receivedPayload, relayEnv, startRelayApp, webhookUrl } from '../sms-gateway/sms-gateway-test.harness';
import { createTestDatabase, deleteRedisPrefix, malianNumber, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { inboundParams, postTwilio, twilioEnv, twilioSignature } from './twilio-test.harness';

jest.setTimeout(60_000);

/**
 * Twilio and the relay phone sign the body, so before reading it the service can only refuse a
 * signature header that is missing or cannot be one (webhook-headers.middleware.ts) — and it does,
 * with the controllers' 403, whatever the body (malformed, over the limit, not even sent yet). A
 * well-formed but wrong signature still reaches the controller; a right one still works.
 */
describe('webhook signatures, before the body', () => {
  const prefix = testPrefix('sigbody');
  const twilio = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const phone = newFakePhone();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: Awaited<ReturnType<typeof startRelayApp>>;

  beforeAll(async () => {
    await twilio.start();
    await phone.start();
    db = await createTestDatabase('sigbody');
    app = await startRelayApp(prefix, db.url, { ...twilioEnv(twilio), ...relayEnv([{ id: 'orange', phone: 'bamako', fake: phone, simNumber: 1 }]) });
  });

  afterAll(async () => {
    await app?.close();
    await twilio.stop();
    await phone.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const FORBIDDEN = { message: 'invalid signature', error: 'Forbidden', statusCode: 403 };
  /** 60 kB that no JSON parser accepts. */
  const MALFORMED_JSON = `{"event": "sms:received", "payload": ${'{'.repeat(60 * 1024)}`;
  const OVERSIZED_FORM = `Body=${'a'.repeat(100 * 1024)}`;
  const nowSeconds = () => String(Math.floor(app.clock.now() / 1000));

  async function post(path: string, contentType: string, body: string, headers: Record<string, string>) {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
    const text = await res.text();
    return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : text };
  }

  /** Sends the headers and only part of the announced body: answers only if the body is not awaited. */
  function statusWithoutBody(path: string, headers: Record<string, string>, timeoutMs = 2_000): Promise<number | 'no answer'> {
    const url = new URL(`${app.url}${path}`);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-length': String(60 * 1024), ...headers } });
      const timer = setTimeout(() => {
        req.destroy();
        resolve('no answer');
      }, timeoutMs);
      req.on('response', (res) => {
        clearTimeout(timer);
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.write('Body=');
    });
  }

  describe('Twilio', () => {
    it.each([TWILIO_SMS_PATH, TWILIO_STATUS_PATH])('answers 403 (not 400) to %s without X-Twilio-Signature and with malformed JSON', async (path) => {
      const res = await post(path, 'application/json', MALFORMED_JSON, {});
      expect(res).toEqual({ status: 403, json: FORBIDDEN });
    });

    it.each([
      ['missing', null],
      ['not base64', '!'.repeat(28)],
      ['too long', `${'A'.repeat(300)}=`],
    ])('answers 403 (not 413) to a %s signature with a form over the limit', async (_what, signature) => {
      const res = await post(TWILIO_SMS_PATH, 'application/x-www-form-urlencoded', OVERSIZED_FORM, signature === null ? {} : { 'x-twilio-signature': signature });
      expect(res).toEqual({ status: 403, json: FORBIDDEN });
    });

    it('answers a missing signature before the body has arrived', async () => {
      expect(await statusWithoutBody(TWILIO_SMS_PATH, { 'content-type': 'application/x-www-form-urlencoded' })).toBe(403);
    });

    it('leaves a well-formed but forged signature to the controller, which gives the same 403', async () => {
      const params = inboundParams(malianNumber(), 'salut');
      const res = await postTwilio(app, TWILIO_SMS_PATH, params, { signature: twilioSignature(TWILIO_SMS_PATH, params, 'another_auth_token_0123456789ab') });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toEqual(FORBIDDEN);
    });

    it('still takes a signed message (200)', async () => {
      const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(malianNumber(), 'salut'));
      expect(res.status).toBe(200);
    });
  });

  describe('the relay phone', () => {
    const path = '/webhooks/sms-gateway/bamako';

    it.each([
      ['no X-Signature', () => ({ 'x-timestamp': nowSeconds() })],
      ['an X-Signature that is not 64 hex digits', () => ({ 'x-timestamp': nowSeconds(), 'x-signature': 'ab'.repeat(31) })],
      ['no X-Timestamp', () => ({ 'x-signature': 'ab'.repeat(32) })],
      ['an X-Timestamp that is not Unix seconds', () => ({ 'x-timestamp': 'yesterday', 'x-signature': 'ab'.repeat(32) })],
    ])('answers 403 (not 400) to %s with malformed JSON', async (_what, headers) => {
      const res = await post(path, 'application/json', MALFORMED_JSON, headers());
      expect(res).toEqual({ status: 403, json: FORBIDDEN });
    });

    it('answers a missing signature before the body has arrived, whatever the phone in the path', async () => {
      expect(await statusWithoutBody(path, { 'content-type': 'application/json', 'x-timestamp': nowSeconds() })).toBe(403);
      expect(await statusWithoutBody('/webhooks/sms-gateway/unknown/', { 'content-type': 'application/json' })).toBe(403);
    });

    it('leaves a well-formed but forged signature to the controller, which gives the same 403', async () => {
      const res = await phone.webhook(webhookUrl(app, 'bamako'), 'system:ping', {}, { timestamp: Number(nowSeconds()), signingKey: 'not-the-key' });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toEqual(FORBIDDEN);
    });

    it('still takes a signed event (200)', async () => {
      const res = await phone.webhook(webhookUrl(app, 'bamako'), 'sms:received', receivedPayload(malianNumber(), 'salut'), { timestamp: Number(nowSeconds()) });
      expect(res.status).toBe(200);
    });
  });
});
