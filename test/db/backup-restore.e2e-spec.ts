import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { Client } from 'pg';
import { contacts } from '../../src/contacts/contacts.schema';
import { openDatabase } from '../../src/db/open-database';
import { SERVER_URL } from './test-databases';

const run = promisify(execFile);

jest.setTimeout(120_000);

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: `${SERVER_URL}/postgres` });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * The backup and restore steps of docs/operations.md ("Backups and restore"), run as written: a contact
 * stored before the backup is there after the restore, and the service opens the restored database
 * (its migrations find nothing left to apply).
 */
describe('backups restore what was stored', () => {
  const work = mkdtempSync(join(tmpdir(), 'sira-backup-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('PostgreSQL server: pg_dump --format=custom, then pg_restore into an empty database', async () => {
    const suffix = randomBytes(4).toString('hex');
    const [from, to] = [`sira_test_backup_${suffix}`, `sira_test_restored_${suffix}`];
    await admin(`create database ${from}`);
    await admin(`create database ${to}`);
    try {
      const original = await openDatabase({ database: { url: `${SERVER_URL}/${from}`, dataDir: '/nonexistent' } });
      const [stored] = await original.db.insert(contacts).values({ channel: 'sms', addressIndex: `idx-${suffix}`, source: 'backup-test', language: 'bm' }).returning();
      await original.close();

      const file = join(work, 'sira.dump');
      await run('pg_dump', ['--format=custom', `--file=${file}`, `${SERVER_URL}/${from}`]);
      await run('pg_restore', ['--no-owner', `--dbname=${SERVER_URL}/${to}`, file]);

      const restored = await openDatabase({ database: { url: `${SERVER_URL}/${to}`, dataDir: '/nonexistent' } });
      try {
        expect(await restored.db.select().from(contacts).where(eq(contacts.id, stored!.id))).toEqual([stored]);
      } finally {
        await restored.close();
      }
    } finally {
      await admin(`drop database if exists ${from} with (force)`);
      await admin(`drop database if exists ${to} with (force)`);
    }
  });

  it('embedded PGlite: stopped, the folder archived with tar, restored into a new DATA_DIR', async () => {
    const dataDir = join(work, 'data');
    const original = await openDatabase({ database: { dataDir } });
    const [stored] = await original.db.insert(contacts).values({ channel: 'telegram', addressIndex: 'idx-embedded', source: 'backup-test' }).returning();
    await original.close(); // "stop the service"

    const archive = join(work, 'sira-pglite.tar.gz');
    await run('tar', ['-C', dataDir, '-czf', archive, 'pglite']);
    const restoredDir = join(work, 'restored');
    await run('mkdir', ['-p', restoredDir]);
    await run('tar', ['-C', restoredDir, '-xzf', archive]);

    const restored = await openDatabase({ database: { dataDir: restoredDir } });
    try {
      expect(await restored.db.select().from(contacts).where(eq(contacts.id, stored!.id))).toEqual([stored]);
    } finally {
      await restored.close();
    }
  });
});
