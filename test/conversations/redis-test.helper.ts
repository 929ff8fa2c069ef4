import { randomBytes } from 'node:crypto';
import { connectRedis, type RedisClient } from '../../src/redis/redis.module';
import { RedisKeys } from '../../src/redis/redis-keys';
import { DEFAULT_TIMINGS, type ConversationTimings } from '../../src/conversations/conversation.timings';

/** The machine's Redis, or the one the test run started (test/support/global-setup.ts). */
export const TEST_REDIS_URL = process.env.SIRA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A real Redis client with a key prefix of its own, so parallel test runs never share keys. */
export interface TestRedis {
  redis: RedisClient;
  keys: RedisKeys;
  prefix: string;
  /** every key currently under the prefix. */
  allKeys(): Promise<string[]>;
  /** deletes this test's keys (by prefix only: never FLUSHDB) and closes the client. */
  close(): Promise<void>;
}

export async function openTestRedis(label: string): Promise<TestRedis> {
  const prefix = `sira_test_${label}_${randomBytes(4).toString('hex')}`;
  const redis = await connectRedis(TEST_REDIS_URL);
  const allKeys = async () => {
    const found: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) found.push(...batch);
    return found;
  };
  return {
    redis,
    keys: new RedisKeys(prefix),
    prefix,
    allKeys,
    close: async () => {
      const keys = await allKeys();
      if (keys.length) await redis.del(keys);
      await redis.close();
    },
  };
}

export function timings(overrides: Partial<ConversationTimings> = {}): ConversationTimings {
  return { ...DEFAULT_TIMINGS, ...overrides };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** a well-formed blind index for tests that exercise Redis primitives without the crypto module. */
export function fakeBlindIndex(): string {
  return randomBytes(32).toString('base64url');
}
