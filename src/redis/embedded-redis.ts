import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connectRedis } from './redis.module';

/** No redis-server to start: one line saying what to install, or to use a server instead. */
export class RedisServerMissingError extends Error {
  constructor() {
    super('no redis-server found to run the embedded Redis: install it (`apt-get install redis-server`, `brew install redis`) or set REDIS_URL to a Redis server');
    this.name = 'RedisServerMissingError';
  }
}

/** The embedded Redis could not start, for a reason a person can act on (said in one line). */
export class EmbeddedRedisError extends Error {
  override name = 'EmbeddedRedisError';
}

export interface EmbeddedRedis {
  url: string;
  pid: number;
  /** Stops the server (it writes its append-only file first) and waits for it to exit. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const MAX_SOCKET_PATH = 103;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts the service's own redis-server in `dir` (DATA_DIR/redis): a unix socket only (no TCP port),
 * readable by this user only, append-only file on and `noeviction` (BullMQ must never lose a key), its
 * folder on its command line so an operator sees whose it is. A server left behind by a parent that was
 * killed (SIGKILL gives no chance to stop it) is found by its pid file and stopped first; while the
 * parent lives, a small watcher stops the server if the parent dies without stopping it.
 * The caller holds the DATA_DIR lock, so no other Sira process owns this folder.
 */
export async function startEmbeddedRedis(dir: string, url: string, binary = 'redis-server'): Promise<EmbeddedRedis> {
  // a unix socket path is limited to 107 bytes on Linux (104 on macOS): say so rather than fail obscurely
  if (Buffer.byteLength(join(dir, 'redis.sock')) > MAX_SOCKET_PATH) {
    throw new EmbeddedRedisError(`DATA_DIR is too long for the embedded Redis's unix socket (${join(dir, 'redis.sock')}): use a shorter DATA_DIR or set REDIS_URL`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pidFile = join(dir, 'redis.pid');
  await reapLeftover(pidFile, dir);
  rmSync(join(dir, 'redis.sock'), { force: true });
  const child = spawn(binary, serverArgs(dir, pidFile), { cwd: dir, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new RedisServerMissingError() : err));
  });
  watchParent(child);
  try {
    await Promise.race([
      waitUntilAnswering(url),
      exited.then((code) => {
        throw new EmbeddedRedisError(`the embedded redis-server exited at start (code ${code}); see ${join(dir, 'redis.log')}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return { url, pid: child.pid!, stop: () => stopServer(child, exited) };
}

function serverArgs(dir: string, pidFile: string): string[] {
  return [
    '--port', '0',
    '--unixsocket', join(dir, 'redis.sock'),
    '--unixsocketperm', '700',
    '--dir', dir,
    '--pidfile', pidFile,
    '--logfile', join(dir, 'redis.log'),
    // durability is the append-only file; no RDB snapshots, so a shutdown never waits on (or fails at) one
    '--save', '',
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
  ];
}

async function waitUntilAnswering(url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const client = await connectRedis(url, 1_000);
      await client.ping();
      await client.close();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function stopServer(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM'); // redis-server flushes its append-only file and exits
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** A server from an earlier run whose parent was killed: stopped if its command line names our folder. */
async function reapLeftover(pidFile: string, dir: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isSafeInteger(pid) || pid <= 1 || !alive(pid) || !commandLineOf(pid).includes(dir)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * The server must not outlive the service: a detached shell checks every second that the parent
 * still lives and stops the server when it is gone (SIGKILL of the parent runs no handler of ours).
 */
function watchParent(child: ChildProcess): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill ${child.pid} 2>/dev/null`;
  const watcher = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watcher.on('error', () => undefined); // no shell: the next start reaps the server instead
  watcher.unref();
  child.once('exit', () => {
    if (watcher.exitCode === null) watcher.kill();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
