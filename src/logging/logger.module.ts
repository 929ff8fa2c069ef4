import { DynamicModule, Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDACT_PATHS, serializeRequest, serializeResponse } from './log-redaction';

/** Optional injection token: a pino destination stream (tests capture log output with it). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/**
 * Human-readable lines (pino-pretty, in pino's worker thread: redaction has already run) when a person
 * watches a terminal outside production; JSON lines otherwise, for log collectors.
 */
export function prettyWanted(env: Config['env'], isTty = Boolean(process.stdout.isTTY)): boolean {
  return env !== 'production' && isTty;
}

export function pinoHttpOptions(level: Config['log']['level'], pretty = false): Options {
  return {
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // our serializers see the raw request/response, so nothing they do not name can leak.
    wrapSerializers: false,
    serializers: { req: serializeRequest, res: serializeResponse },
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  };
}

@Global()
@Module({})
class LogDestinationModule {}

/**
 * Application logging through pino (nestjs-pino): JSON lines (pretty on a terminal), level from `config.log.level`,
 * request logging with redaction. `main.ts` routes Nest's own Logger into it with `app.useLogger`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [CONFIG, { token: LOG_DESTINATION, optional: true }],
      useFactory: (config: Config, destination?: DestinationStream) => ({
        pinoHttp: destination ? [pinoHttpOptions(config.log.level), destination] : pinoHttpOptions(config.log.level, prettyWanted(config.env)),
        // Nest 11's router syntax for "every path".
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class LoggingModule {
  /** Import next to `LoggingModule` in a test to receive every log line on `destination`. */
  static captureTo(destination: DestinationStream): DynamicModule {
    return {
      module: LogDestinationModule,
      global: true,
      providers: [{ provide: LOG_DESTINATION, useValue: destination }],
      exports: [LOG_DESTINATION],
    };
  }
}
