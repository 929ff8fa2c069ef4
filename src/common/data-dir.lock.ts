import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * Another process (the service or a CLI) owns DATA_DIR. Two processes on one PGlite folder lose
 * writes silently (issue 20), so the second one stops before it opens anything.
 */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `DATA_DIR ${dataDir} is in use by another Sira process (the running service or a command). ` +
        'Stop it first, or give this one another DATA_DIR; with DATABASE_URL and REDIS_URL set nothing embedded is used.',
    );
    this.name = 'DataDirLockedError';
  }
}

interface Held {
  count: number;
  release: () => Promise<void>;
}

/** Locks held by this process, by folder: the service's embedded Redis and PGlite share one. */
const held = new Map<string, Held>();

/** The lock file inside DATA_DIR (proper-lockfile keeps it as a directory and refreshes its mtime). */
export function lockPathOf(dataDir: string): string {
  return join(resolve(dataDir), 'sira.lock');
}

const STALE_MS = 10_000;

/** The pid of the process holding the lock, written beside it (read to fail at once while it lives). */
function ownerPathOf(dir: string): string {
  return join(dir, 'sira.lock.pid');
}

/**
 * Takes the exclusive lock on `dataDir` for this process (again and again within one process: counted).
 * While the owner lives, a second process is refused at once. A lock whose owner died (SIGKILL, power
 * loss) is stale once it has not been refreshed for 10 s: the start waits for that and takes it over.
 * Resolves to the function that gives this hold back.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const dir = resolve(dataDir);
  const mine = held.get(dir);
  if (mine) {
    mine.count += 1;
    return once(() => giveBack(dir));
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  try {
    const ownerAlive = isAlive(ownerOf(dir));
    release = await lockfile.lock(dir, {
      lockfilePath: lockPathOf(dir),
      stale: STALE_MS,
      update: 2_000,
      // a dead owner's lock becomes stale within STALE_MS: wait for it rather than refuse
      retries: ownerAlive ? 0 : { retries: 14, factor: 1, minTimeout: 1_000, maxTimeout: 1_000 },
      realpath: false,
      // the lock was taken from us (its file removed, the clock jumped): writing on would risk the data
      onCompromised: () => {
        console.error(`Sira: the lock on ${dir} was lost; stopping so that two processes never write it.`);
        process.exit(1);
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
    throw err;
  }
  writeFileSync(ownerPathOf(dir), String(process.pid));
  held.set(dir, { count: 1, release: async () => {
    rmSync(ownerPathOf(dir), { force: true });
    await release();
  } });
  return once(() => giveBack(dir));
}

function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(ownerPathOf(dir), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** An unknown owner counts as alive: refusing is the safe answer. */
function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

async function giveBack(dir: string): Promise<void> {
  const mine = held.get(dir);
  if (!mine) return;
  mine.count -= 1;
  if (mine.count > 0) return;
  held.delete(dir);
  await mine.release().catch(() => undefined);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
