import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, freePort, ROOT } from '../../support/service-process';

/**
 * Where the compiled service is run from: the repository (built once per run by `ensureBuilt`), or a
 * separate build folder named by SIRA_SERVICE_ROOT (a snapshot, while the working tree is mid-edit).
 */
export const SERVICE_ROOT = process.env.SIRA_SERVICE_ROOT ?? ROOT;

/** Builds the repository's service when it is older than the sources (a snapshot is built already). */
export function ensureServiceBuilt(): void {
  if (SERVICE_ROOT === ROOT) ensureBuilt();
}

/** One service process; unlike test/support's, it can also be killed and asked how it ended. */
export interface ServiceInstance {
  url: string;
  port: number;
  output(): string;
  exited: Promise<number | null>;
  /** sends the signal and waits for the exit; `ms` is from the signal to the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export async function startInstance(env: Record<string, string>, port?: number): Promise<ServiceInstance> {
  const listen = port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'sira-resilience-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: SERVICE_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: String(listen), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  void exited.then(() => rmSync(dataDir, { recursive: true, force: true }));
  const url = `http://127.0.0.1:${listen}`;
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`the service exited during start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the service did not start within 60 s:\n${output}`);
    }
    const live = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
    if (live) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port: listen,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}
