import type { NestExpressApplication } from '@nestjs/platform-express';
import { sql } from 'drizzle-orm';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import type { BotApiCall, FakeTelegramServer } from '../fakes/fake-telegram.server';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../db/test-databases';
import { openTestRedis, type TestRedis } from '../conversations/redis-test.helper';
import { postTelegramUpdate, startApp, type LogCapture } from '../support/app-harness';

export { TEST_PACING, TOKEN, WEBHOOK_SECRET } from '../support/app-harness';

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
  const { app, url, telegram, close } = await startApp({ prefix: env.redis.prefix, databaseUrl: env.dbUrl, logLevel: 'silent', telegram: true, env: overrides, logs });
  return {
    app,
    url,
    fake: telegram!,
    contacts: app.get(ContactsRepository),
    database: app.get<DatabaseHandle>(DATABASE_HANDLE),
    post: (update, secret) => postTelegramUpdate(url, update, secret),
    close,
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
