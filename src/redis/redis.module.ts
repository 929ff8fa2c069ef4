import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { createClient } from 'redis';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { RedisKeys } from './redis-keys';
import { checkRedisSettings } from './redis-settings.check';

/** Injection token of the shared node-redis client (connected at init). */
export const REDIS = Symbol('REDIS');

export type RedisClient = ReturnType<typeof newClient>;

function newClient(url: string) {
  return createClient({
    url,
    // capped exponential backoff; node-redis keeps reconnecting for as long as the process lives.
    socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
  });
}

const log = new Logger('Redis');

/** Redis did not answer at boot: the service refuses to start instead of hanging silently. */
export class RedisUnavailableError extends Error {
  constructor(where: string, ms: number) {
    super(`Redis at ${where} did not answer within ${ms} ms: start Redis (e.g. \`redis-server\`) or set REDIS_URL`);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Creates and connects a client, giving up after `bootTimeoutMs`. Once connected, errors are logged
 * (without the URL, which may hold a password) and never crash the process: node-redis reconnects by
 * itself with backoff.
 */
export async function connectRedis(url: string, bootTimeoutMs = 10_000): Promise<RedisClient> {
  const client = newClient(url);
  let lastError = '';
  client.on('error', (err: Error) => {
    // one line per distinct failure, not one per reconnect attempt.
    const message = `${err.name}: ${(err as { code?: string }).code ?? err.message}`;
    if (message !== lastError) log.warn(`connection problem (${message}); reconnecting`);
    lastError = message;
  });
  client.on('ready', () => {
    if (lastError) log.log('connection restored');
    lastError = '';
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisUnavailableError(hostOf(url), bootTimeoutMs)), bootTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), timeout]);
    return client;
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** host:port only: the URL's user and password never reach a message. */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** Closes the client when Nest shuts down (after in-flight work has finished). */
@Injectable()
export class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.client.isOpen) return;
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }
}

/** Connects, then checks the server's eviction and persistence settings (refused in production). */
async function connectCheckedRedis(config: Config): Promise<RedisClient> {
  const client = await connectRedis(config.redis.url);
  try {
    await checkRedisSettings(client, config.env);
  } catch (err) {
    client.destroy();
    throw err;
  }
  return client;
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [CONFIG], useFactory: (config: Config) => connectCheckedRedis(config) },
    { provide: RedisKeys, inject: [CONFIG], useFactory: (config: Config) => new RedisKeys(config.redis.prefix) },
    RedisLifecycle,
  ],
  exports: [REDIS, RedisKeys],
})
export class RedisModule {}
