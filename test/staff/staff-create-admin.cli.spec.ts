/**
 * `npm run staff:create-admin` as an operator runs it: the password on standard input (never an
 * argument), a new admin who can sign in, no silent overwrite of an existing account, --reset to recover.
 */
import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/open-database';
import { StaffUsersRepository } from '../../src/staff/staff-users.repository';
import { PasswordHasher } from '../../src/staff/password.hasher';
import { systemClock } from '../../src/common/clock';
import { createTestDatabase } from '../sms/sms-test.helpers';
import { ROOT } from '../support/service-process';

jest.setTimeout(120_000);

describe('npm run staff:create-admin', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase('staffcli');
  });

  afterAll(async () => {
    await db?.drop();
  });

  function run(args: string[], password: string) {
    const result = spawnSync('npm', ['run', '--silent', 'staff:create-admin', '--', ...args], {
      cwd: ROOT,
      input: `${password}\n`,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATABASE_URL: db.url, DATA_DIR: '/nonexistent-sira-test', LOG_LEVEL: 'silent' },
      timeout: 60_000,
    });
    return { code: result.status, out: `${result.stdout}${result.stderr}` };
  }

  async function authenticate(email: string, password: string) {
    const handle = await openDatabase({ database: { url: db.url, dataDir: '/nonexistent' } });
    try {
      return await new StaffUsersRepository(handle.db, new PasswordHasher(), systemClock).authenticate(email, password);
    } finally {
      await handle.close();
    }
  }

  it('creates an admin from a password read on standard input, refuses a short one, never overwrites silently', async () => {
    expect(run(['--email', 'fanta@sira.test'], 'short')).toMatchObject({ code: 1 });
    const created = run(['--email', 'Fanta@Sira.test', '--name', 'Fanta', '--languages', 'fr,bm'], 'first-password-123');
    expect(created).toMatchObject({ code: 0 });
    expect(created.out).not.toContain('first-password-123');
    expect(await authenticate('fanta@sira.test', 'first-password-123')).toMatchObject({ role: 'admin', displayName: 'Fanta', languages: ['fr', 'bm'] });

    expect(run(['--email', 'fanta@sira.test'], 'second-password-456')).toMatchObject({ code: 1 });
    expect(await authenticate('fanta@sira.test', 'second-password-456')).toBeUndefined();
    expect(run(['--email', 'fanta@sira.test', '--reset'], 'second-password-456')).toMatchObject({ code: 0 });
    expect(await authenticate('fanta@sira.test', 'second-password-456')).toMatchObject({ role: 'admin', active: true });

    const handle = await openDatabase({ database: { url: db.url, dataDir: '/nonexistent' } });
    const audit = await handle.rows<{ action: string }>(sql`select action from staff_audit_log order by at`);
    await handle.close();
    expect(audit.map((a) => a.action)).toEqual(['first_admin_created', 'user_updated']);
  });
});
