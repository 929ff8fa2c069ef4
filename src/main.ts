import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { ConfigError, loadConfig } from './config/config';
import { configureHttp } from './http.setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  app.enableShutdownHooks();
  armShutdownWatchdog(config.shutdownTimeoutMs);
  await app.listen(config.http.port, config.http.host);
  app.get(Logger).log(`Sira listening on ${config.http.host}:${config.http.port} (${config.env})`);
}

/**
 * Nest's shutdown hooks close the HTTP server (in-flight requests finish), then the workers and
 * connections, and finally re-raise the signal. We catch that second delivery to exit with 0, and a
 * watchdog guarantees the exit within the timeout whatever hangs.
 */
function armShutdownWatchdog(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    let received = 0;
    process.on(signal, () => {
      received += 1;
      if (received === 1) setTimeout(() => process.exit(1), timeoutMs).unref();
      else process.exit(0);
    });
  }
}

bootstrap().catch((error: unknown) => {
  // Configuration and content errors are written for a person; anything else keeps its stack.
  const message = error instanceof ConfigError || isContentError(error) ? (error as Error).message : error;
  console.error('Sira could not start:', message);
  process.exit(1);
});

function isContentError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ContentError';
}
