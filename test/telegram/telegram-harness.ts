import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module';
import { LoggingModule } from '../../src/logging/logger.module';
import type { LogCapture } from '../conversations/conversation-harness';
import { TELEGRAM_PACING, type TelegramPacing } from '../../src/channels/telegram/telegram-chat.pacer';
import { loadConfig, type Config } from '../../src/config/config';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { configureHttp } from '../../src/http.setup';
import { FakeTelegramServer, type BotApiCall } from '../fakes/fake-telegram.server';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../db/test-databases';
import { openTestRedis, TEST_REDIS_URL, type TestRedis } from '../conversations/redis-test.helper';

export const WEBHOOK_SECRET = `tg_secret_${randomBytes(12).toString('hex')}`;
export const TOKEN = `123456789:${randomBytes(24).toString('base64url')}`;

/** Pacing short enough for tests; the per-chat spacing is still real (a test measures it). */
export const TEST_PACING: TelegramPacing = { perSecond: 30, perChatIntervalMs: 200, perChatBurst: 3 };

/** The whole service listening on loopback, with Telegram pointed at a fake Bot API. */
export interface TelegramTestApp {
  app: NestExpressApplication;
  url: string;
  fake: FakeTelegramServer;
  contacts: ContactsRepository;
  database: DatabaseHandle;
  /** posts a raw Update as Telegram would; `secret: null` sends no secret header. */
  post(update: unknown, secret?: string | null): Promise<Response>;
  close(): Promise<void>;
}

export interface TelegramTestEnv {
  db: TestDatabase;
  redis: TestRedis;
  dbUrl: string;
  dispose(): Promise<void>;
}

export async function openTelegramTestEnv(label: string): Promise<TelegramTestEnv> {
  const db = await openTestDatabase('postgres', label);
  const redis = await openTestRedis(label);
  const [row] = await db.handle.rows<{ name: string }>(sql`select current_database() as name`);
  return {
    db,
    redis,
    dbUrl: `${SERVER_URL}/${row!.name}`,
    dispose: async () => {
      await redis.close();
      await db.dispose();
    },
  };
}

export async function startTelegramApp(
  env: TelegramTestEnv,
  overrides: Record<string, string> = {},
  logs?: LogCapture,
): Promise<TelegramTestApp> {
  const fake = await new FakeTelegramServer().start();
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: env.redis.prefix,
    DATABASE_URL: env.dbUrl,
    DATA_DIR: '/nonexistent-sira-test',
    SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    SIMULATOR_ENABLED: 'false',
    PUBLIC_BASE_URL: 'https://sira.example.org',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: fake.url,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...(logs ? [LoggingModule.captureTo(logs)] : [])] })
    .overrideProvider(TELEGRAM_PACING)
    .useValue(TEST_PACING)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(logs ? { bodyParser: false, bufferLogs: true } : { bodyParser: false, logger: false });
  if (logs) app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app,
    url,
    fake,
    contacts: app.get(ContactsRepository),
    database: app.get<DatabaseHandle>(DATABASE_HANDLE),
    post: (update, secret = WEBHOOK_SECRET) =>
      fetch(`${url}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
        body: JSON.stringify(update),
      }),
    close: async () => {
      await app.close();
      await fake.stop();
    },
  };
}

/** Waits until `check` returns something truthy (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The inline keyboard of a recorded sendMessage, as [label, callback_data] pairs. */
export function keyboardOf(call: BotApiCall): { text: string; callback_data: string }[] {
  const markup = call.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).map((row) => {
    if (row.length !== 1) throw new Error('expected one button per row');
    return row[0]!;
  });
}
