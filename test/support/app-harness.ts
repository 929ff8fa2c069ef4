import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { DynamicModule, LogLevel, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module';
import { SmsSpool } from '../../src/channels/sms/sms-spool';
import { TELEGRAM_PACING, type TelegramPacing } from '../../src/channels/telegram/telegram-chat.pacer';
import type { ChannelName } from '../../src/common/channel-name';
import { CLOCK, ManualClock, type Clock } from '../../src/common/clock';
import { ClockModule } from '../../src/common/clock.module';
import type { Config } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { ContentModule } from '../../src/content/content.module';
import { CONVERSATION_TIMINGS, DEFAULT_TIMINGS, type ConversationTimings } from '../../src/conversations/conversation.timings';
import { OutboundRegistry, type OutboundPort } from '../../src/conversations/outbound.registry';
import { CryptoModule } from '../../src/crypto/crypto.module';
import { DatabaseModule } from '../../src/db/database.module';
import type { Output } from '../../src/engine/engine.types';
import { configureHttp } from '../../src/http.setup';
import { LoggingModule } from '../../src/logging/logger.module';
import { RedisModule } from '../../src/redis/redis.module';
import { FakeSmsGatewayPhone } from '../fakes/fake-sms-gateway.server';
import { FakeTelegramServer } from '../fakes/fake-telegram.server';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { FakeWhatsAppServer } from '../fakes/fake-whatsapp.server';
import { whatsappSignature } from '../../src/channels/whatsapp/whatsapp-signature';
import { createTestDatabase, deleteRedisPrefix, SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { testConfig } from './test-config';

export { newKey, testConfig } from './test-config';

/**
 * One way to start the service in a test, for every area: the whole AppModule (or a core of modules),
 * with the channels a test wants pointed at local fakes, its own database and Redis prefix, a clock it
 * can move, its logs captured, and the production HTTP stack on a free loopback port.
 */

// ---- the channels' test credentials -------------------------------------------------------------

/** The URL Twilio (and the relay phones) are configured to call: deliberately not the address the test app listens on. */
export const PUBLIC_BASE_URL = 'https://sira.example.org';
export const WEBHOOK_SECRET = `tg_secret_${randomBytes(12).toString('hex')}`;
export const TOKEN = `123456789:${randomBytes(24).toString('base64url')}`;
/** Pacing short enough for tests; the per-chat spacing is still real (a test measures it). */
export const TEST_PACING: TelegramPacing = { perSecond: 30, perChatIntervalMs: 200, perChatBurst: 3 };

/** Fast SMS pacing for the fakes. */
const FAST_SMS = { SMS_SEGMENTS_PER_SECOND: '100', SMS_SENDER_MESSAGES_PER_MINUTE: '200' };

/** Environment of Twilio SMS at a fake: fast pacing, short timeout. */
export function twilioEnv(fake: { url: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_BASE_URL: fake.url,
    TWILIO_TIMEOUT_MS: '1000',
    ...FAST_SMS,
    ...extra,
  };
}

/** Environment of Telegram at a fake Bot API. */
export function telegramEnv(fake: { url: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { PUBLIC_BASE_URL, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_API_ROOT: fake.url, ...extra };
}

/** The WhatsApp Cloud API test credentials (the app secret signs the webhooks, as Meta does). */
export const WHATSAPP_TEST = {
  accessToken: `EAAT${randomBytes(24).toString('hex')}`,
  phoneNumberId: '106540352242922',
  appSecret: randomBytes(16).toString('hex'),
  verifyToken: `wa_verify_${randomBytes(12).toString('hex')}`,
};

/** Environment of WhatsApp at a fake Graph API. */
export function whatsappEnv(fake: { url: string }, extra: Record<string, string> = {}): Record<string, string> {
  return {
    WHATSAPP_ACCESS_TOKEN: WHATSAPP_TEST.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: WHATSAPP_TEST.phoneNumberId,
    WHATSAPP_APP_SECRET: WHATSAPP_TEST.appSecret,
    WHATSAPP_VERIFY_TOKEN: WHATSAPP_TEST.verifyToken,
    WHATSAPP_API_BASE_URL: fake.url,
    ...extra,
  };
}

/** Posts a webhook body to the app as Meta would, signed over its exact bytes; `signature: null` sends none. */
export function postWhatsAppWebhook(url: string, body: unknown, signature?: string | null): Promise<Response> {
  const raw = JSON.stringify(body);
  const header = signature === undefined ? whatsappSignature(WHATSAPP_TEST.appSecret, raw) : signature;
  return fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'x-hub-signature-256': header }) },
    body: raw,
  });
}

export interface RelayLineSpec {
  id: string;
  phone?: string;
  fake: FakeSmsGatewayPhone;
  simNumber?: number;
  segmentsPerMinute?: number;
}

/** SMS_GATEWAY_PHONES (relay phones at fakes) and fast pacing. */
export function relayEnv(lines: RelayLineSpec[], extra: Record<string, string> = {}): Record<string, string> {
  const phones = lines.map(({ id, phone, fake, simNumber, segmentsPerMinute }) => ({
    id,
    ...(phone ? { phone } : {}),
    apiUrl: fake.url,
    username: fake.username,
    password: fake.password,
    signingKey: fake.signingKey,
    ...(simNumber ? { simNumber } : {}),
    segmentsPerMinute: segmentsPerMinute ?? 600,
  }));
  return { PUBLIC_BASE_URL, SMS_GATEWAY_PHONES: JSON.stringify(phones), SMS_GATEWAY_TIMEOUT_MS: '1000', ...FAST_SMS, ...extra };
}

/** A fake relay phone with fresh credentials (not started). */
export function newFakePhone(): FakeSmsGatewayPhone {
  return new FakeSmsGatewayPhone('sms', randomBytes(8).toString('hex'), randomBytes(16).toString('hex'));
}

// ---- what a test watches --------------------------------------------------------------------------

/** Collects every log line the instance writes (pino destination). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  text(): string {
    return this.lines.join('');
  }
}

/** A channel sink that records what it is handed; `before` lets a test slow it down or make it fail. */
export class RecordingPort implements OutboundPort {
  readonly sent: { address: string; language: string; outputs: Output[] }[] = [];
  before: () => Promise<void> = async () => undefined;
  async deliver(address: string, language: string, outputs: Output[]): Promise<void> {
    await this.before();
    this.sent.push({ address, language, outputs });
  }
}

/** Posts a raw Telegram Update to the app's webhook as Telegram would; `secret: null` sends no secret header. */
export function postTelegramUpdate(url: string, update: unknown, secret: string | null = WEBHOOK_SECRET): Promise<Response> {
  return fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    body: JSON.stringify(update),
  });
}

// ---- the app --------------------------------------------------------------------------------------

type ModuleImport = Type<unknown> | DynamicModule;

export interface AppOptions {
  /** a Config made already (the stores, channels and env options below are then not used). */
  config?: Config;
  /** names the database and Redis prefix made for this app (dropped and deleted at close) when none is given. */
  label?: string;
  /** reuse a database / Redis prefix (a second boot of the same service, or stores the test owns). */
  databaseUrl?: string;
  prefix?: string;
  redisUrl?: string;
  logLevel?: string;
  encryptionKeys?: string;
  blindIndexKey?: string;
  /** Twilio SMS at a fake: one started (and stopped) here, or the test's own. */
  twilio?: boolean | FakeTwilioServer;
  /** Telegram at a fake Bot API, with test pacing: one started (and stopped) here, or the test's own. */
  telegram?: boolean | FakeTelegramServer;
  /** WhatsApp at a fake Graph API: one started (and stopped) here, or the test's own. */
  whatsapp?: boolean | FakeWhatsAppServer;
  /** relay phones at the test's fakes. */
  relay?: RelayLineSpec[];
  /** the process's part (SIRA_ROLE). */
  role?: 'web' | 'worker' | 'all';
  /** configuration variables, last. */
  env?: Record<string, string>;
  /** the clock the app reads (default: a ManualClock for a core app, the system clock for the whole app). */
  clock?: Clock;
  /** conversation timings on top of the defaults (default: the configuration's). */
  timings?: Partial<ConversationTimings>;
  /** more providers to override, given the config. */
  override?: (config: Config) => [token: unknown, value: unknown][];
  /** instead of the whole AppModule, only the core: config, logging, clock, database, crypto, Redis, content. */
  core?: boolean;
  /** modules imported next to the app (or the core). */
  modules?: ModuleImport[];
  /** every log line, as JSON, to this stream (through the pino logger). */
  logs?: LogCapture;
  /** Nest's own logger: pino (default with `logs`), off (default), or Nest's console at these levels. */
  logger?: 'pino' | false | LogLevel[];
  /** 'listen' (default): the production HTTP stack on 127.0.0.1 at a free port; 'init': modules started, no HTTP stack. */
  http?: 'listen' | 'init' | 'stack';
  /** channels whose replies go to a RecordingPort instead of a provider. */
  record?: ChannelName[];
  /** how often the SMS spool drains (a static of the process). */
  spoolIntervalMs?: number;
}

export interface TestApp {
  app: NestExpressApplication;
  /** where the app really listens (http://127.0.0.1:port); '' when not listening. */
  url: string;
  config: Config;
  clock: Clock;
  prefix: string;
  databaseUrl: string;
  /** the fakes the app's channels point at. */
  twilio?: FakeTwilioServer;
  telegram?: FakeTelegramServer;
  whatsapp?: FakeWhatsAppServer;
  logs?: LogCapture;
  ports: Partial<Record<ChannelName, RecordingPort>>;
  get<T>(token: unknown): T;
  /** closes the app, then stops the fakes and drops the stores made here. */
  close(): Promise<void>;
}

export async function startApp(options: AppOptions = {}): Promise<TestApp> {
  const twilio = options.twilio instanceof FakeTwilioServer ? options.twilio : options.twilio ? await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start() : undefined;
  const telegram = options.telegram instanceof FakeTelegramServer ? options.telegram : options.telegram ? await new FakeTelegramServer().start() : undefined;
  const whatsapp = options.whatsapp instanceof FakeWhatsAppServer ? options.whatsapp : options.whatsapp ? await new FakeWhatsAppServer().start() : undefined;
  const ownFakes = [options.twilio === true ? twilio : undefined, options.telegram === true ? telegram : undefined, options.whatsapp === true ? whatsapp : undefined].filter(
    (f) => f !== undefined,
  );
  const ownDatabase = options.config || options.databaseUrl ? undefined : await createTestDatabase(options.label ?? 'app');
  const config =
    options.config ??
    testConfig({
      prefix: options.prefix ?? testPrefix(options.label ?? 'app'),
      databaseUrl: options.databaseUrl ?? ownDatabase!.url,
      redisUrl: options.redisUrl,
      logLevel: options.logLevel,
      encryptionKeys: options.encryptionKeys,
      blindIndexKey: options.blindIndexKey,
      env: {
        ...(twilio ? twilioEnv(twilio) : {}),
        ...(telegram ? telegramEnv(telegram) : {}),
        ...(whatsapp ? whatsappEnv(whatsapp) : {}),
        ...(options.relay ? relayEnv(options.relay) : {}),
        ...(options.role ? { SIRA_ROLE: options.role } : {}),
        ...options.env,
      },
    });
  const ownPrefix = options.config || options.prefix ? undefined : config.redis.prefix;
  if (options.spoolIntervalMs !== undefined) SmsSpool.intervalMs = options.spoolIntervalMs;

  const capture = options.logs ? [LoggingModule.captureTo(options.logs)] : [];
  const imports = options.core
    ? [ConfigModule.forRoot(config), LoggingModule, ...capture, ClockModule, DatabaseModule, CryptoModule, RedisModule, ContentModule, ...(options.modules ?? [])]
    : [AppModule.forRoot(config), ...capture, ...(options.modules ?? [])];
  const clock = options.clock ?? (options.core ? new ManualClock() : undefined);
  const overrides: [unknown, unknown][] = [
    ...(clock ? [[CLOCK, clock] as [unknown, unknown]] : []),
    ...(options.timings ? [[CONVERSATION_TIMINGS, { ...DEFAULT_TIMINGS, ...options.timings }] as [unknown, unknown]] : []),
    ...(telegram ? [[TELEGRAM_PACING, TEST_PACING] as [unknown, unknown]] : []),
    ...(options.override?.(config) ?? []),
  ];
  let builder = Test.createTestingModule({ imports });
  for (const [token, value] of overrides) builder = builder.overrideProvider(token).useValue(value);
  const moduleRef = await builder.compile();

  const logger = options.logger ?? (options.logs ? 'pino' : false);
  const http = options.http ?? 'listen';
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    ...(http === 'init' ? {} : { bodyParser: false }),
    ...(logger === 'pino' ? { bufferLogs: true } : { logger }),
  });
  if (logger === 'pino') app.useLogger(app.get(Logger));
  if (http !== 'init') configureHttp(app);
  let url = '';
  if (http === 'listen') {
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  } else {
    await app.init();
  }
  const ports: Partial<Record<ChannelName, RecordingPort>> = {};
  for (const channel of options.record ?? []) {
    ports[channel] = new RecordingPort();
    app.get(OutboundRegistry).register(channel, ports[channel]);
  }
  return {
    app,
    url,
    config,
    clock: clock ?? app.get<Clock>(CLOCK),
    prefix: config.redis.prefix,
    databaseUrl: config.database.url ?? '',
    twilio,
    telegram,
    whatsapp,
    logs: options.logs,
    ports,
    get: <T>(token: unknown) => app.get<T>(token as never),
    close: async () => {
      await app.close();
      for (const fake of ownFakes) await fake.stop();
      if (ownPrefix) await deleteRedisPrefix(ownPrefix, config.redis.url);
      await ownDatabase?.drop();
    },
  };
}
