import { DEFAULT_TEST_POSTGRES_URL, DEFAULT_TEST_REDIS_URL, ensureChromium, ensureTestPostgres, ensureTestRedis } from './test-stores';

interface Started {
  dispose(): unknown;
}

/** What this run started itself, stopped by global-teardown.ts (same process). */
export const started: Started[] = [];

/**
 * Before any test (issue 20 §3): the machine's Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432)
 * when they answer, otherwise servers of this run's own from the installed binaries, in temporary
 * folders, handed to every worker through SIRA_TEST_REDIS_URL / SIRA_TEST_POSTGRES_URL (workers start
 * after this and inherit the environment). A missing binary, or Chromium when browser tests are
 * selected, stops the run at once with the command that installs it.
 */
export default async function globalSetup(globalConfig: { testPathPatterns?: { patterns?: string[] } }): Promise<void> {
  const patterns = globalConfig.testPathPatterns?.patterns ?? [];
  if (patterns.length === 0 || patterns.some((p) => /browser/.test(p))) ensureChromium();
  const redisUrl = process.env.SIRA_TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
  const redis = await ensureTestRedis(redisUrl);
  if (redis) {
    started.push(redis);
    process.env.SIRA_TEST_REDIS_URL = redis.url;
    console.log(`\n[tests] no Redis at ${redisUrl}: using the run's own at ${redis.url}`);
  }
  const postgresUrl = process.env.SIRA_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL;
  const postgres = await ensureTestPostgres(postgresUrl);
  if (postgres) {
    started.push(postgres);
    process.env.SIRA_TEST_POSTGRES_URL = postgres.url;
    console.log(`[tests] no PostgreSQL at ${postgresUrl}: using the run's own at ${postgres.url}`);
  }
}
