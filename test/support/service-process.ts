import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { deleteRedisPrefix } from '../sms/sms-test.helpers';

export const ROOT = resolve(__dirname, '..', '..');

/** A free TCP port on loopback, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface RunningService {
  url: string;
  port: number;
  dataDir: string;
  output: () => string;
  exited: Promise<number | null>;
  /** `keepData`: leave the data folder for a look afterwards (the caller removes it). */
  stop(signal?: NodeJS.Signals, keepData?: boolean): Promise<{ code: number | null; ms: number }>;
}

/**
 * Builds the compiled service (what `npm start` runs) unless it is newer than every source: `npm test`
 * has just built it, and `nest build` empties dist/ first, which would pull the program from under the
 * service processes other test files are starting at that moment (and costs half a minute of CPU).
 */
export function ensureBuilt(): void {
  const main = join(ROOT, 'dist', 'src', 'main.js');
  if (existsSync(main) && statSync(main).mtimeMs >= newestIn(join(ROOT, 'src'))) return;
  const built = spawnSync('npx', ['nest', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`nest build failed:\n${built.stdout}\n${built.stderr}`);
}

/** the latest modification time of any file under `dir`. */
function newestIn(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export interface StartOptions {
  /**
   * Let PGlite create its cluster in the new data folder (initdb in WebAssembly: 7-10 s, most of a start)
   * instead of finding a copy of an empty one made once per machine. Either way the service runs every
   * migration itself; the acceptance run keeps the first start a new machine makes.
   */
  freshEmbeddedDatabase?: boolean;
  /** run on this data folder (e.g. a second start on the folder of a killed one) instead of a new one. */
  dataDir?: string;
}

/**
 * Starts the compiled service as a real process on a free port, with its own data folder (embedded
 * PGlite unless DATABASE_URL is given) and its own Redis prefix; resolves once /health/live answers.
 */
export async function startService(env: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningService> {
  const port = await freePort();
  const ownPrefix = `sira_test_e2e_${port}`;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sira-e2e-'));
  if (!options.dataDir && !env.DATABASE_URL && !options.freshEmbeddedDatabase) cpSync(emptyPgliteCluster(), join(dataDir, 'pglite'), { recursive: true });
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      REDIS_PREFIX: ownPrefix,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilLive(url, exited, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    dataDir,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM', keepData = false) {
      const started = Date.now();
      child.kill(signal);
      const code = await exited;
      const ms = Date.now() - started;
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
      // the prefix this function chose is this run's alone: nothing of it stays in the shared Redis
      if (!env.REDIS_PREFIX) await deleteRedisPrefix(ownPrefix, env.REDIS_URL ?? TEST_REDIS_URL).catch(() => undefined);
      return { code, ms };
    },
  };
}

/**
 * An empty PGlite cluster (no table: migrations are the service's job), made once per PGlite version by
 * PGlite itself, closed cleanly, and only then renamed into place, so workers racing to make it never
 * see half of one.
 */
function emptyPgliteCluster(): string {
  const pglite = join(ROOT, 'node_modules', '@electric-sql', 'pglite');
  const { version } = JSON.parse(readFileSync(join(pglite, 'package.json'), 'utf8')) as { version: string };
  const template = join(tmpdir(), `sira-pglite-empty-${version}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const making = `${template}.making-${process.pid}`;
  rmSync(making, { recursive: true, force: true });
  mkdirSync(making, { recursive: true });
  const script = `import { PGlite } from '@electric-sql/pglite'; const db = new PGlite(process.argv[1]); await db.waitReady; await db.close();`;
  const made = spawnSync(process.execPath, ['--input-type=module', '-e', script, making], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (made.status !== 0 || !existsSync(join(making, 'PG_VERSION'))) throw new Error(`could not make an empty PGlite cluster:\n${made.stderr}`);
  try {
    renameSync(making, template);
  } catch {
    rmSync(making, { recursive: true, force: true }); // another worker put its own in place first
  }
  return template;
}

async function waitUntilLive(url: string, exited: Promise<number | null>, output: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the service exited during start:\n${output()}`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the service did not start within 60 s:\n${output()}`);
}

/** Runs `npm run chat` with lines piped on standard input, as a person would from a shell. */
export function runChat(url: string, lines: string[], args: string[] = []): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('npm', ['run', '--silent', 'chat', '--', '--url', url, ...args], {
    cwd: ROOT,
    input: lines.map((l) => `${l}\n`).join(''),
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
    timeout: 60_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
