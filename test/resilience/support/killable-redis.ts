import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort } from '../../support/service-process';

/**
 * A redis-server of the test's own (free port, temporary folder) configured as production needs it:
 * AOF with fsync every second and no eviction. It can be killed with SIGKILL and started again on the
 * same folder, so what the AOF kept is what the service finds.
 */
export interface KillableRedis {
  url: string;
  port: number;
  /** `kill -9`: no shutdown, no final save. */
  kill9(): Promise<void>;
  /** SIGTERM, waiting for the exit. */
  stop(): Promise<void>;
  /** FLUSHALL on this server only. */
  flushAll(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

export interface RedisOptions {
  /**
   * 'safe' (default): production settings (AOF everysec, noeviction); 'evicting': a throwaway server
   * with eviction on; 'plain': redis-server's defaults without persistence.
   */
  mode?: 'safe' | 'evicting' | 'plain';
}

const SETTINGS: Record<NonNullable<RedisOptions['mode']>, string[]> = {
  safe: ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'],
  evicting: ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'],
  plain: ['--appendonly', 'no'],
};

export async function startKillableRedis(options: RedisOptions = {}): Promise<KillableRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sira-resilience-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const settings = SETTINGS[options.mode ?? 'safe'];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...settings], { stdio: 'ignore' });
    await waitForPing(url);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  };
  await start();
  return {
    url,
    port,
    start,
    kill9: () => kill('SIGKILL'),
    stop: () => kill('SIGTERM'),
    flushAll: async () => {
      const client = createClient({ url });
      await client.connect();
      await client.flushAll();
      await client.close();
    },
    dispose: async () => {
      await kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPing(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      await client.close();
      return;
    } catch {
      if (client.isOpen) client.destroy();
      if (Date.now() > deadline) throw new Error('own redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
