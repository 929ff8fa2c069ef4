import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/config';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';

export interface TestConfigOptions {
  prefix: string;
  databaseUrl: string;
  redisUrl?: string;
  /** default: SIRA_TEST_LOG_LEVEL, else silent. */
  logLevel?: string;
  /** the encryption key ring spec (kid:base64,…); default: one fresh key. */
  encryptionKeys?: string;
  blindIndexKey?: string;
  /** variables on top. */
  env?: Record<string, string>;
}

/** A fresh key of the encryption key ring (kid:base64). */
export function newKey(kid: string): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

/** A Config for one test: own Redis prefix, own database, fresh keys, no simulator; extra variables on top. */
export function testConfig(options: TestConfigOptions): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: options.logLevel ?? process.env.SIRA_TEST_LOG_LEVEL ?? 'silent',
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    REDIS_PREFIX: options.prefix,
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: '/nonexistent-sira-test',
    SIRA_ENCRYPTION_KEYS: options.encryptionKeys ?? newKey('k1'),
    SIRA_BLIND_INDEX_KEY: options.blindIndexKey ?? randomBytes(32).toString('base64'),
    SIMULATOR_ENABLED: 'false',
    ...options.env,
  });
}
