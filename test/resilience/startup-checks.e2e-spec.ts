import { randomBytes } from 'node:crypto';
import { startOwnPostgres, type OwnPostgres } from '../sms/own-postgres';
import { createTestDatabase } from '../sms/sms-test.helpers';
import { startKillableRedis, type KillableRedis } from './support/killable-redis';
import { ensureServiceBuilt, startInstance } from './support/service-instance';

jest.setTimeout(90_000);

describe('start-up checks of Redis settings, and readiness (own redis-servers and PostgreSQL)', () => {
  let unsafe: KillableRedis;
  let safe: KillableRedis;
  let pg: OwnPostgres;
  let databaseUrl: string;
  const keys = { SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64') };

  beforeAll(async () => {
    ensureServiceBuilt();
    [unsafe, safe, pg] = await Promise.all([startKillableRedis({ mode: 'evicting' }), startKillableRedis(), startOwnPostgres()]);
    databaseUrl = (await createTestDatabase('startup', pg.url)).url;
  });

  afterAll(async () => {
    await unsafe?.dispose();
    await safe?.dispose();
    pg?.dispose();
  });

  const env = (redisUrl: string, extra: Record<string, string> = {}) => ({ REDIS_URL: redisUrl, REDIS_PREFIX: 'sira_startup', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', ...keys, ...extra });

  it('refuses to start in production when Redis may evict keys and keeps no AOF, naming both settings', async () => {
    const started = startInstance(env(unsafe.url, { NODE_ENV: 'production', CONTENT_MIN_STATUS: 'draft' }));
    await expect(started).rejects.toThrow(/exited during start/);
    const message = await started.catch((e: Error) => e.message);
    expect(message).toMatch(/Redis is not safe for production/);
    expect(message).toMatch(/maxmemory-policy is "allkeys-lru", needs "noeviction"/);
    expect(message).toMatch(/appendonly is off/);
  });

  it('starts in development with the same Redis, and says what production would refuse', async () => {
    const service = await startInstance(env(unsafe.url));
    try {
      expect(service.output()).toMatch(/Redis settings are fine for development only: .*noeviction.*appendonly/);
    } finally {
      await service.stop('SIGTERM');
    }
  });

  it('starts in production against a Redis with noeviction and AOF everysec; /health/ready shows Redis, database and spool depth', async () => {
    const service = await startInstance(env(safe.url, { NODE_ENV: 'production', CONTENT_MIN_STATUS: 'draft' })).catch((e: Error) => e);
    if (service instanceof Error) throw service;
    try {
      expect(service.output()).not.toMatch(/Redis settings/);
      const ready = await fetch(`${service.url}/health/ready`);
      const body = (await ready.json()) as { status: string; details: Record<string, Record<string, unknown>> };
      expect(ready.status).toBe(200);
      expect(body.details).toMatchObject({ redis: { status: 'up' }, database: { status: 'up', kind: 'postgres' }, spool: { status: 'up', depth: 0 } });
      expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    } finally {
      await service.stop('SIGTERM');
    }
  });
});
