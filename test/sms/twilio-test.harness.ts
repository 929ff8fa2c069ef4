import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { Config } from '../../src/config/config';
import { loadContent } from '../../src/content/content.loader';
import { createTranslator } from '../../src/content/i18n';
import type { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { PUBLIC_BASE_URL, startApp } from '../support/app-harness';
import { SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, eventually, sleep } from './sms-test.helpers';

export { PUBLIC_BASE_URL, twilioEnv } from '../support/app-harness';

export interface RunningSmsApp {
  app: NestExpressApplication;
  /** where the app really listens (http://127.0.0.1:port). */
  url: string;
  config: Config;
  close(): Promise<void>;
}

/** The whole application (AppModule) on a free port, with the production HTTP stack. */
export function startSmsApp(prefix: string, databaseUrl: string, env: Record<string, string>): Promise<RunningSmsApp> {
  return startApp({ prefix, databaseUrl, env, spoolIntervalMs: 200 });
}

export function twilioSignature(path: string, params: Record<string, string>, token = TEST_AUTH_TOKEN, base = PUBLIC_BASE_URL): string {
  return getExpectedTwilioSignature(token, `${base}${path}`, params);
}

export function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** An inbound SMS as Twilio posts it (the fields Twilio sends for a plain text message). */
export function inboundParams(from: string, body: string, sid = messageSid()): Record<string, string> {
  return {
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: sid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: sid,
    FromState: '', SmsStatus: 'received', FromCity: '', Body: body, FromCountry: 'ML', To: SERVICE_NUMBER,
    ToZip: '', NumSegments: '1', MessageSid: sid, AccountSid: TEST_ACCOUNT_SID, From: from, ApiVersion: '2010-04-01',
  };
}

export interface PostOptions {
  /** the X-Twilio-Signature to send; default: a correct one; null: none. */
  signature?: string | null;
  /** a raw body instead of the encoded params. */
  rawBody?: string;
}

/** Posts a form to the app the way Twilio does. */
export async function postTwilio(app: RunningSmsApp, path: string, params: Record<string, string>, options: PostOptions = {}) {
  const signature = options.signature === undefined ? twilioSignature(path, params) : options.signature;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'TwilioProxy/1.1' };
  if (signature !== null) headers['X-Twilio-Signature'] = signature;
  const res = await fetch(`${app.url}${path}`, { method: 'POST', headers, body: options.rawBody ?? new URLSearchParams(params).toString() });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}

/**
 * She texts `body` through the signed webhook; resolves once the replies to it stop arriving at the fake
 * (none for 250 ms) and returns them, one string per SMS.
 */
export async function textAndWait(app: RunningSmsApp, fake: FakeTwilioServer, from: string, body: string): Promise<string[]> {
  const before = fake.bodiesTo(from).length;
  const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, body));
  if (res.status !== 200) throw new Error(`webhook answered ${res.status} to "${body}"`);
  await eventually(() => fake.bodiesTo(from).length > before, 10_000, `replies to "${body}"`);
  let count = -1;
  while (count !== fake.bodiesTo(from).length) {
    count = fake.bodiesTo(from).length;
    await sleep(250);
  }
  return fake.bodiesTo(from).slice(before);
}

/** The content as the service loads it, to know what she should read. */
export function contentTexts() {
  const root = join(__dirname, '..', '..');
  const content = loadContent({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') });
  const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
  return { content, translator };
}
