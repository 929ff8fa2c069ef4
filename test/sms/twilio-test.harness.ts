import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { AppModule } from '../../src/app.module';
import { SmsSpool } from '../../src/channels/sms/sms-spool';
import type { Config } from '../../src/config/config';
import { loadContent } from '../../src/content/content.loader';
import { createTranslator } from '../../src/content/i18n';
import { configureHttp } from '../../src/http.setup';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, eventually, sleep, smsTestConfig } from './sms-test.helpers';

/** The URL Twilio is configured to call: deliberately not the address the test app listens on. */
export const PUBLIC_BASE_URL = 'https://sira.example.org';

export interface RunningSmsApp {
  app: NestExpressApplication;
  /** where the app really listens (http://127.0.0.1:port). */
  url: string;
  config: Config;
  close(): Promise<void>;
}

/** Environment of an SMS test app: Twilio at the fake, fast pacing, short timeout. */
export function twilioEnv(fake: FakeTwilioServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_TIMEOUT_MS: '1000',
    SMS_SEGMENTS_PER_SECOND: '100',
    SMS_SENDER_MESSAGES_PER_MINUTE: '200',
    ...extra,
  };
}

/** The whole application (AppModule) on a free port, with the production HTTP stack. */
export async function startSmsApp(prefix: string, databaseUrl: string, env: Record<string, string>): Promise<RunningSmsApp> {
  SmsSpool.intervalMs = 200;
  const config = smsTestConfig(prefix, databaseUrl, env);
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, config, close: () => app.close() };
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
