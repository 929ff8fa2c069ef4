import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { FakeTwilioServer } from '../../fakes/fake-twilio.server';
import { startOwnPostgres, type OwnPostgres } from '../../sms/own-postgres';
import { createTestDatabase, SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../../sms/sms-test.helpers';
import { PUBLIC_BASE_URL } from '../../sms/twilio-test.harness';
import { startKillableRedis, type KillableRedis, type RedisOptions } from './killable-redis';
import { startInstance, type ServiceInstance } from './service-instance';

/**
 * Everything one resilience scenario needs, all of its own: a redis-server and a PostgreSQL on free
 * ports in temporary folders, a database on it, a fake Twilio API, and the environment that points
 * one or more service processes at them (same keys and Redis prefix, so instances share their work).
 */
export interface ResilienceStack {
  redis: KillableRedis;
  pg: OwnPostgres;
  databaseUrl: string;
  fake: FakeTwilioServer;
  prefix: string;
  /** starts one more service process on a free port against this stack. */
  startInstance(extra?: Record<string, string>, port?: number): Promise<ServiceInstance>;
  /** runs SQL on the scenario's database. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

export async function openResilienceStack(label: string, options: RedisOptions = {}): Promise<ResilienceStack> {
  const redis = await startKillableRedis(options);
  const pg = await startOwnPostgres();
  const db = await createTestDatabase(label, pg.url);
  const fake = await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
  const prefix = `sira_resilience_${label}`;
  const keys = {
    SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  };
  const instances: ServiceInstance[] = [];
  const sql = new Client({ connectionString: db.url });
  let sqlOpen = false;
  return {
    redis,
    pg,
    databaseUrl: db.url,
    fake,
    prefix,
    async startInstance(extra = {}, port?: number) {
      const service = await startInstance({ ...serviceEnv(redis.url, db.url, prefix, fake.url), ...keys, ...extra }, port);
      instances.push(service);
      return service;
    },
    async query<T extends Record<string, unknown>>(text: string, params: unknown[] = []) {
      if (!sqlOpen) {
        await sql.connect();
        sqlOpen = true;
      }
      return (await sql.query(text, params)).rows as T[];
    },
    async dispose() {
      for (const service of instances) await service.stop('SIGKILL').catch(() => undefined);
      if (sqlOpen) await sql.end().catch(() => undefined);
      await fake.stop();
      await redis.dispose();
      pg.dispose();
    },
  };
}

/** A service process pointed at the stack: fast pacing and generous caps so the load is the only limit. */
function serviceEnv(redisUrl: string, databaseUrl: string, prefix: string, twilioUrl: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'warn',
    SIMULATOR_ENABLED: 'false',
    PUBLIC_BASE_URL,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_FROM: SERVICE_NUMBER,
    TWILIO_API_BASE_URL: twilioUrl,
    TWILIO_TIMEOUT_MS: '1000',
    SMS_SEGMENTS_PER_SECOND: '100',
    SMS_SENDER_MESSAGES_PER_MINUTE: '1000',
    SMS_SENDER_DAILY_SEGMENTS: '100000',
    SMS_DAILY_SEGMENTS: '10000000',
  };
}
