import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../src/db/open-database';
import { staffUsers } from '../../src/staff/staff.schema';
import { ROOT, ensureBuilt, startService } from '../support/service-process';

jest.setTimeout(120_000);

/** pids of every process whose command line mentions `text` (here: a service's DATA_DIR). */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(text)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

function createAdmin(dataDir: string, email: string): { status: number | null; stderr: string; stdout: string } {
  // the compiled command (built with the service): what `npm run staff:create-admin` runs, minus tsx's start-up
  const run = spawnSync(process.execPath, ['dist/src/cli/staff-create-admin.cli.js', '--email', email], {
    cwd: ROOT,
    input: 'a-long-password-1234\n',
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DATA_DIR: dataDir },
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

/**
 * Issue 20 §1–2 on the compiled service, as `npm start` runs it on a fresh machine: no REDIS_URL, so it
 * runs its own redis-server in DATA_DIR/redis; it owns DATA_DIR, so a command on the same folder refuses.
 */
describe('the service on a fresh machine: its own Redis and one owner per data folder', () => {
  beforeAll(() => ensureBuilt());

  it('with REDIS_URL unset, runs its own Redis under DATA_DIR (named on its command line), is ready, and stops it on SIGTERM', async () => {
    const service = await startService();
    const redisDir = join(service.dataDir, 'redis');
    try {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
      expect(service.output()).toContain(`Redis: embedded redis-server`);
      expect(processesMentioning(redisDir).length).toBeGreaterThanOrEqual(1);
    } finally {
      const { code } = await service.stop('SIGTERM', true);
      expect(code).toBe(0);
    }
    // stopped with the service, after it wrote its append-only file
    expect(processesMentioning(redisDir)).toEqual([]);
    expect(readdirSync(redisDir)).toContain('appendonlydir');
    rmSync(service.dataDir, { recursive: true, force: true });
  });

  it('a command on the folder of a running service refuses, says why, and writes nothing', async () => {
    const service = await startService();
    const email = `admin-${Date.now()}@example.org`;
    const refused = createAdmin(service.dataDir, email);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('is in use by another Sira process');
    expect(refused.stdout).not.toContain('created');
    await service.stop('SIGTERM', true);
    // nothing was written: the account is not there once the service is gone
    const handle = await openDatabase({ database: { dataDir: service.dataDir } });
    try {
      expect(await handle.db.select().from(staffUsers).where(eq(staffUsers.email, email))).toEqual([]);
    } finally {
      await handle.close();
    }
    // and with the service stopped the same command works, and the account is there afterwards
    expect(createAdmin(service.dataDir, email).stdout).toContain('created');
    const again = await openDatabase({ database: { dataDir: service.dataDir } });
    try {
      expect(await again.db.select({ email: staffUsers.email }).from(staffUsers).where(eq(staffUsers.email, email))).toEqual([{ email }]);
    } finally {
      await again.close();
      rmSync(service.dataDir, { recursive: true, force: true });
    }
  });

  it('after a SIGKILL of the service its Redis does not stay behind, and the next start takes the folder over', async () => {
    const first = await startService();
    const redisDir = join(first.dataDir, 'redis');
    await first.stop('SIGKILL', true);
    expect(await until(() => processesMentioning(redisDir).length === 0, 5_000)).toBe(true);
    // the dead owner's lock is recovered (stale) and the service starts on the same folder
    const second = await startService({}, { dataDir: first.dataDir });
    try {
      expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it("npm start's build step reuses a build newer than the sources (no rebuild, nothing printed)", () => {
    const run = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('without a redis-server binary, stops at once with one line naming what to install or REDIS_URL', async () => {
    // a PATH with nothing on it (the service itself is started by node's absolute path)
    const empty = mkdtempSync(join(tmpdir(), 'sira-no-bin-'));
    const attempt = startService({ PATH: empty });
    const started = await attempt.catch((err: Error) => err);
    if (!(started instanceof Error)) await started.stop();
    expect(started).toBeInstanceOf(Error);
    const lines = (started as Error).message.split('\n').filter((l) => l.includes('Sira could not start'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/apt-get install redis-server.*brew install redis.*REDIS_URL/);
    rmSync(empty, { recursive: true, force: true });
  });
});
