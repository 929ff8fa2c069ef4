import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';
import { webhookHeadersMiddleware } from './channels/webhook-headers.middleware';
import { CONFIG } from './config/config.module';
import type { Config } from './config/config';
import { webhookTimer } from './metrics/webhook-timer.middleware';

/**
 * Body limits and parsers shared by main.ts and the end-to-end tests, so that tests run the same
 * HTTP stack as production: a body over the limit is a 413, malformed JSON a 400. Webhook
 * authentication headers are checked first, before any body is read (webhook-headers.middleware.ts).
 *
 * `config` defaults to the application's CONFIG provider. An application without one has no webhook
 * controller (they all inject it), so there is then nothing to guard.
 */
export function configureHttp(app: NestExpressApplication, config: Config | undefined = configOf(app)): void {
  app.disable('x-powered-by');
  if (config) app.use(webhookTimer(config), webhookHeadersMiddleware(config));
  // JSON webhooks signed over their exact bytes (the SMS relay phone) need the body as received.
  app.use(json({ limit: '64kb', verify: keepRawBody }));
  app.use(urlencoded({ extended: false, limit: '64kb' }));
}

function configOf(app: NestExpressApplication): Config | undefined {
  try {
    return app.get<Config>(CONFIG, { strict: false });
  } catch {
    return undefined;
  }
}

/** Keeps the JSON body's bytes as `req.rawBody` (Nest's RawBodyRequest) for signature checks. */
function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
}
