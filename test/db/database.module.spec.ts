import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { ConfigModule } from '../../src/config/config.module';
import { loadConfig } from '../../src/config/config';
import { ContactsModule } from '../../src/contacts/contacts.module';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { CryptoModule } from '../../src/crypto/crypto.module';
import { DATABASE_HANDLE, DatabaseModule } from '../../src/db/database.module';
import { openDatabase, type DatabaseHandle } from '../../src/db/open-database';
import { SERVER_URL } from './test-databases';

/** Every migration drizzle-kit generated, as its journal lists them. */
const journal = (): { entries: { tag: string }[] } =>
  JSON.parse(readFileSync(join(__dirname, '../../drizzle/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };

const tables = (h: DatabaseHandle) =>
  h.rows<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`);

describe('embedded database (PGlite) on disk', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'sira-test-db-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('boots the Nest modules, keeps contacts across restarts and closes on shutdown', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const boot = async () => {
      const moduleRef = await Test.createTestingModule({
        imports: [ConfigModule.forRoot(config), DatabaseModule, CryptoModule, ContactsModule],
      }).compile();
      return moduleRef.createNestApplication({ logger: false }).init();
    };

    const first = await boot();
    const created = await first.get(ContactsRepository).findOrCreate('simulator', '+22370000042', 'simulator');
    await first.get(ContactsRepository).setLanguage(created.id, 'bm');
    const handle = first.get<DatabaseHandle>(DATABASE_HANDLE);
    expect(handle.kind).toBe('pglite');
    await first.close();
    await expect(handle.ping()).rejects.toThrow();

    // second start: same folder, same dev key file, migrations already applied
    const second = await boot();
    const found = await second.get(ContactsRepository).findByAddress('simulator', '+223 70 00 00 42');
    expect(found).toMatchObject({ id: created.id, language: 'bm' });
    expect((await tables(second.get(DATABASE_HANDLE))).map((t) => t.table_name)).toContain('contacts');
    await second.close();
  }, 60_000);
});

describe('PostgreSQL server', () => {
  const name = `sira_test_contacts_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new Client({ connectionString: `${SERVER_URL}/postgres` });
    await c.connect();
    await c.query(statement).finally(() => c.end());
  };
  beforeAll(() => admin(`create database ${name}`));
  afterAll(() => admin(`drop database if exists ${name} with (force)`));

  it('lets several instances boot at once, migrating exactly once', async () => {
    const config = { database: { url: `${SERVER_URL}/${name}`, dataDir: '/nonexistent' } };
    const handles = await Promise.all([openDatabase(config), openDatabase(config), openDatabase(config)]);
    try {
      expect(handles.every((h) => h.kind === 'postgres')).toBe(true);
      await Promise.all(handles.map((h) => h.ping()));
      const applied = await handles[0].rows<{ n: string }>(sql`select count(*) as n from drizzle.__drizzle_migrations`);
      expect(Number(applied[0].n)).toBe(journal().entries.length);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  });

  it('reports an unreachable server at boot instead of starting half-way', async () => {
    const config = { database: { url: 'postgres://postgres@127.0.0.1:1/none', dataDir: '/nonexistent' } };
    await expect(openDatabase(config)).rejects.toThrow();
  });
});
