import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { DataDirLockedError, lockDataDir } from './common/data-dir.lock';
import { ConfigError, embeddedRedisDir, loadConfig, type Config } from './config/config';
import { servesWeb } from './config/process-role';
import { configureHttp } from './http.setup';
import type { NextFunction, Request, Response } from 'express';
import { EmbeddedRedisError, RedisServerMissingError, startEmbeddedRedis, type EmbeddedRedis } from './redis/embedded-redis';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const embedded = await startEmbedded(config);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  if (!servesWeb(config)) answerHealthOnly(app);
  configureHttp(app, config);
  app.enableShutdownHooks();
  armShutdownWatchdog(config.shutdownTimeoutMs, embedded.stop);
  await app.listen(config.http.port, config.http.host);
  const log = app.get(Logger);
  log.log(`Sira listening on ${config.http.host}:${config.http.port} (${config.env}, role ${config.role})`);
  log.log(embedded.redis ? `Redis: embedded redis-server (pid ${embedded.redis.pid}) on a unix socket in ${embeddedRedisDir(config.database.dataDir)}` : `Redis: ${redisWhere(config.redis.url)} (REDIS_URL)`);
}

/**
 * With REDIS_URL unset the service owns DATA_DIR (locked: a second service or a command on the same
 * folder refuses) and runs its own redis-server there. `stop` ends both, after the application closed.
 */
async function startEmbedded(config: Config): Promise<{ redis?: EmbeddedRedis; stop: () => Promise<void> }> {
  if (!config.redis.embedded) return { stop: async () => undefined };
  const unlock = await lockDataDir(config.database.dataDir);
  try {
    const redis = await startEmbeddedRedis(embeddedRedisDir(config.database.dataDir), config.redis.url);
    return { redis, stop: async () => {
      await redis.stop();
      await unlock();
    } };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/**
 * A worker process (SIRA_ROLE=worker) answers only its health checks and its metrics (GET /metrics,
 * when METRICS_TOKEN is set): webhooks and staff pages are the web part's, so a misrouted request gets
 * a plain 404 instead of being handled twice or half.
 */
function answerHealthOnly(app: NestExpressApplication): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/health' || req.path.startsWith('/health/') || req.path === '/metrics') return next();
    res.status(404).json({ statusCode: 404, message: 'this Sira process is a worker (SIRA_ROLE=worker): only /health and /metrics are served' });
  });
}

/** host:port or the socket path; never a user or password. */
function redisWhere(url: string): string {
  if (url.startsWith('unix:')) return url.replace(/\/\/[^@/]*@/, '//');
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * Nest's shutdown hooks close the HTTP server (in-flight requests finish), then the workers and
 * connections, and finally re-raise the signal. We catch that second delivery, stop what the service
 * started itself (the embedded Redis, after everything using it closed) and exit with 0; a watchdog
 * guarantees the exit within the timeout whatever hangs.
 */
function armShutdownWatchdog(timeoutMs: number, stopEmbedded: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    let received = 0;
    process.on(signal, () => {
      received += 1;
      if (received === 1) setTimeout(() => process.exit(1), timeoutMs).unref();
      else void stopEmbedded().finally(() => process.exit(0));
    });
  }
}

bootstrap().catch((error: unknown) => {
  // Configuration, content and environment errors are written for a person; anything else keeps its stack.
  const message = error instanceof ConfigError || isForAPerson(error) ? (error as Error).message : error;
  console.error('Sira could not start:', message);
  process.exit(1);
});

function isForAPerson(error: unknown): boolean {
  return error instanceof DataDirLockedError || error instanceof RedisServerMissingError || error instanceof EmbeddedRedisError || (error instanceof Error && error.name === 'ContentError');
}
