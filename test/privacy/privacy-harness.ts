import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module';
import { TELEGRAM_PACING } from '../../src/channels/telegram/telegram-chat.pacer';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { CLOCK, type Clock } from '../../src/common/clock';
import { loadConfig, type Config } from '../../src/config/config';
import { configureHttp } from '../../src/http.setup';
import { LoggingModule } from '../../src/logging/logger.module';
import { PRIVACY_SETTINGS, privacySettings, type PrivacySettings } from '../../src/privacy/privacy.settings';
import { LogCapture } from '../conversations/conversation-harness';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { FakeTelegramServer } from '../fakes/fake-telegram.server';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { PUBLIC_BASE_URL, inboundParams, messageSid, twilioSignature } from '../sms/twilio-test.harness';
import { TEST_PACING, TOKEN, WEBHOOK_SECRET } from '../telegram/telegram-harness';

/**
 * The whole service with both channels on (Twilio SMS and Telegram, each at its local fake), its logs
 * captured in memory, its own database and Redis prefix, and privacy settings a test can shorten.
 */
export interface PrivacyApp {
  app: NestExpressApplication;
  url: string;
  config: Config;
  prefix: string;
  databaseUrl: string;
  twilio: FakeTwilioServer;
  telegram: FakeTelegramServer;
  logs: LogCapture;
  /** posts a signed inbound SMS (and records it at the fake, as Twilio keeps it). */
  sms(from: string, body: string): Promise<number>;
  /** posts a raw Telegram update with the secret header. */
  update(update: unknown): Promise<number>;
  close(): Promise<void>;
}

export interface PrivacyAppOptions {
  label: string;
  settings?: Partial<PrivacySettings>;
  clock?: Clock;
  env?: Record<string, string>;
  /** the encryption key ring spec (kid:base64,…); default: one fresh key. */
  encryptionKeys?: string;
  /** reuse a database / prefix / blind-index key (a second boot of the same service). */
  databaseUrl?: string;
  prefix?: string;
  blindIndexKey?: string;
}

export function newKey(kid: string): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

export async function startPrivacyApp(options: PrivacyAppOptions): Promise<PrivacyApp> {
  const twilio = await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
  const telegram = await new FakeTelegramServer().start();
  const db = options.databaseUrl ? undefined : await createTestDatabase(options.label);
  const databaseUrl = options.databaseUrl ?? db!.url;
  const prefix = options.prefix ?? testPrefix(options.label);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    DATABASE_URL: databaseUrl,
    DATA_DIR: '/nonexistent-sira-test',
    SIRA_ENCRYPTION_KEYS: options.encryptionKeys ?? newKey('k1'),
    SIRA_BLIND_INDEX_KEY: options.blindIndexKey ?? randomBytes(32).toString('base64'),
    SIMULATOR_ENABLED: 'false',
    PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_BASE_URL: twilio.url,
    TWILIO_TIMEOUT_MS: '1000',
    SMS_SEGMENTS_PER_SECOND: '100',
    SMS_SENDER_MESSAGES_PER_MINUTE: '200',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: telegram.url,
    ...options.env,
  });
  const logs = new LogCapture();
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config), LoggingModule.captureTo(logs)] })
    .overrideProvider(TELEGRAM_PACING)
    .useValue(TEST_PACING)
    .overrideProvider(PRIVACY_SETTINGS)
    .useValue({ ...privacySettings(config), forgetDelayMs: 300, ...options.settings });
  if (options.clock) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
  const app = (await builder.compile()).createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app, url, config, prefix, databaseUrl, twilio, telegram, logs,
    sms: async (from, body) => {
      const sid = messageSid();
      twilio.recordInbound(sid, from, SERVICE_NUMBER, body);
      const params = inboundParams(from, body, sid);
      const res = await fetch(`${url}${TWILIO_SMS_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature(TWILIO_SMS_PATH, params) },
        body: new URLSearchParams(params).toString(),
      });
      return res.status;
    },
    update: async (update) => {
      const res = await fetch(`${url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body: JSON.stringify(update),
      });
      return res.status;
    },
    close: async () => {
      await app.close();
      await twilio.stop();
      await telegram.stop();
      if (db) {
        await deleteRedisPrefix(prefix);
        await db.drop();
      }
    },
  };
}
