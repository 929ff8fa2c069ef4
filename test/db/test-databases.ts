import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/db/open-database';

const run = promisify(execFile);

/** The machine's PostgreSQL (trust auth); tests only ever create and drop their own sira_test_* databases. */
export const SERVER_URL = process.env.SIRA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** a dump of the whole database as SQL text (pg_dump for a server, a table dump for PGlite). */
  dump(): Promise<string>;
  /** closes and removes what was created. */
  dispose(): Promise<void>;
}

export type TestDatabaseKind = 'pglite' | 'postgres';

export function openTestDatabase(kind: TestDatabaseKind, label: string): Promise<TestDatabase> {
  return kind === 'pglite' ? openPgliteTest() : openPostgresTest(label);
}

async function openPgliteTest(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sira-test-pglite-'));
  const handle = await openDatabase({ database: { dataDir } });
  return {
    handle,
    dump: () => pgliteDump(handle),
    dispose: async () => {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openPostgresTest(label: string): Promise<TestDatabase> {
  const name = `sira_test_${label}_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = `${SERVER_URL}/${name}`;
  const handle = await openDatabase({ database: { url, dataDir: '/nonexistent' } });
  return {
    handle,
    dump: async () => (await run('pg_dump', ['--no-owner', '--inserts', url], { maxBuffer: 64 << 20 })).stdout,
    dispose: async () => {
      await handle.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** PGlite has no pg_dump binary here: dump every user table's rows as text, which is what a leak would show. */
async function pgliteDump(handle: DatabaseHandle): Promise<string> {
  const { sql } = await import('drizzle-orm');
  const tables = await handle.rows<{ name: string }>(
    sql`select quote_ident(table_schema) || '.' || quote_ident(table_name) as name from information_schema.tables
        where table_schema not in ('pg_catalog', 'information_schema') and table_type = 'BASE TABLE'`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await handle.rows(sql.raw(`select * from ${name}`));
    parts.push(`-- ${name}\n${JSON.stringify(rows)}`);
  }
  return parts.join('\n');
}
