import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { createClient } from 'redis';
import { CHROMIUM } from '../browser/chromium';
import { startKillableRedis, type KillableRedis } from '../resilience/support/killable-redis';
import { startOwnPostgres, type OwnPostgres } from '../sms/own-postgres';

export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

/** A missing program: the one command that installs it (the run stops before any test). */
export class MissingToolError extends Error {
  constructor(what: string, install: string) {
    super(`${what} is missing: ${install}`);
    this.name = 'MissingToolError';
  }
}

export async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1_000 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: `${url}/postgres`, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The machine's Redis when it answers; otherwise one of the run's own (the binary must be installed). */
export async function ensureTestRedis(url: string): Promise<KillableRedis | undefined> {
  if (await redisAnswers(url)) return undefined;
  if (!onPath('redis-server')) throw new MissingToolError('redis-server', 'apt-get install -y redis-server');
  return startKillableRedis({ mode: 'plain' });
}

/** The machine's PostgreSQL when it answers; otherwise one of the run's own (the binaries must be installed). */
export async function ensureTestPostgres(url: string): Promise<OwnPostgres | undefined> {
  if (await postgresAnswers(url)) return undefined;
  if (!existsSync('/usr/lib/postgresql')) throw new MissingToolError('PostgreSQL', 'apt-get install -y postgresql');
  return startOwnPostgres();
}

export function ensureChromium(): void {
  if (!existsSync(CHROMIUM)) throw new MissingToolError(`Chromium (${CHROMIUM}, for the browser tests)`, 'apt-get install -y chromium');
}
