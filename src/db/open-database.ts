import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Config } from '../config/config';
import { lockDataDir } from '../common/data-dir.lock';
import * as schema from './schema';

export type Schema = typeof schema;

/** One type for both drivers, so repositories never know whether PGlite or a server is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  /** 'pglite' (embedded, under DATA_DIR) or 'postgres' (DATABASE_URL). */
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers a trivial query; rejects otherwise (readiness checks). */
  ping(): Promise<void>;
  /** Rows of a raw SQL query (both drivers answer `{ rows }`; drizzle's shared type cannot say so). */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Ends the pool or closes PGlite; safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** run the SQL migrations before returning (default true). */
  migrate?: boolean;
  /** folder of drizzle-kit migrations (default: `drizzle/` at the repository root). */
  migrationsFolder?: string;
}

/** Serialises migrations when several instances boot against one server at once. */
const MIGRATION_LOCK_ID = 0x5149a;

/**
 * Opens the configured database: a node-postgres pool when `config.database.url` is set, otherwise an
 * embedded PGlite kept on disk at `${dataDir}/pglite`. Same schema, same SQL migrations, either way.
 */
export async function openDatabase(
  config: Pick<Config, 'database'>,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const migrations = options.migrate === false ? undefined : (options.migrationsFolder ?? findMigrationsFolder());
  return config.database.url
    ? openPostgres(config.database.url, migrations)
    : openPglite(config.database.dataDir, migrations);
}

async function openPostgres(url: string, migrationsFolder?: string): Promise<DatabaseHandle> {
  const { Pool } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({ connectionString: url, max: 10 });
  // An idle client losing its server must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  try {
    if (migrationsFolder) {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migrate(drizzle(client), { migrationsFolder });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        client.release();
      }
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  const db = drizzle(pool, { schema });
  return handleFor(db, 'postgres', () => pool.end());
}

/**
 * PGlite is one process per folder: DATA_DIR is locked first (a second service or a command refuses
 * with DataDirLockedError before it opens, so it writes nothing), and given back when closed.
 */
async function openPglite(dataDir: string, migrationsFolder?: string): Promise<DatabaseHandle> {
  const unlock = await lockDataDir(dataDir);
  const folder = join(dataDir, 'pglite');
  mkdirSync(folder, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite(folder);
  try {
    await client.waitReady;
    const pgliteDb = drizzle(client, { schema });
    if (migrationsFolder) {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(pgliteDb, { migrationsFolder });
    }
    return handleFor(pgliteDb, 'pglite', async () => {
      await client.close();
      await unlock();
    });
  } catch (err) {
    await client.close().catch(() => undefined);
    await unlock();
    throw err;
  }
}

function handleFor(db: Database, kind: DatabaseHandle['kind'], end: () => Promise<void>): DatabaseHandle {
  let closing: Promise<void> | undefined;
  return {
    db,
    kind,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    rows: async <T extends Record<string, unknown>>(query: SQL) => ((await db.execute(query)) as { rows: T[] }).rows,
    close: () => (closing ??= end()),
  };
}

/**
 * `drizzle/` sits at the repository root; walk up from this file so the same code works from `src/`
 * (ts-jest, tsx) and from `dist/src/` (compiled), whatever the working directory.
 */
export function findMigrationsFolder(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('drizzle/ migrations folder not found above ' + from);
    dir = parent;
  }
}
