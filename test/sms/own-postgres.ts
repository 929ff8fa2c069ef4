import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/service-process';

/**
 * A PostgreSQL server of this test's own, on a free port in a temporary folder, that the test may
 * stop and start (the machine's shared server is never stopped). As root, it runs as `postgres`.
 */
export interface OwnPostgres {
  url: string;
  start(): void;
  stop(): void;
  dispose(): void;
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sira-own-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (tool: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, tool), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const ctl = (action: 'start' | 'stop') =>
    action === 'start'
      ? run('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start'])
      : run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
  ctl('start');
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    start: () => {
      if (!running) ctl('start');
      running = true;
    },
    stop: () => {
      if (running) ctl('stop');
      running = false;
    },
    dispose: () => {
      try {
        if (running) ctl('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function postgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', versions[0], 'bin');
}

function postgresUser(): { uid: number; gid: number } {
  const [uid, gid] = execFileSync('id', ['-u', 'postgres']).toString().trim().split('\n').concat(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid: Number(uid), gid: Number(gid) };
}
