import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Config } from '../../src/config/config';
import { testConfig } from '../support/test-config';
import { SERVER_URL } from '../db/test-databases';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { connectRedis } from '../../src/redis/redis.module';

/** A database of its own on the machine's PostgreSQL (dropped at the end). */
export async function createTestDatabase(label: string, serverUrl = SERVER_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sira_test_${label}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl, `create database ${name}`);
  return { url: `${serverUrl}/${name}`, drop: () => admin(serverUrl, `drop database if exists ${name} with (force)`) };
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export const TEST_AUTH_TOKEN = 'test_auth_token_0123456789abcdef';
export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const SERVICE_NUMBER = '+15005550006';

/** A Config for one test file: own Redis prefix, own database, fresh keys; extra variables on top. */
export function smsTestConfig(prefix: string, databaseUrl: string, extra: Record<string, string> = {}): Config {
  return testConfig({ prefix, databaseUrl, env: extra });
}

export function testPrefix(label: string): string {
  return `sira_test_${label}_${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under the prefix (never FLUSHDB). */
export async function deleteRedisPrefix(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = await connectRedis(url);
  try {
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) keys.push(...batch);
    if (keys.length) await redis.del(keys);
  } finally {
    await redis.close();
  }
}

/** Polls until `check` returns true (or throws after `timeoutMs`). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A random Malian mobile number, different in every test. */
export function malianNumber(): string {
  return `+2237${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}
