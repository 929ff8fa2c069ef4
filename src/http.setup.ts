import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';

/**
 * Body limits and parsers shared by main.ts and the end-to-end tests, so that tests run the same
 * HTTP stack as production: a body over the limit is a 413, malformed JSON a 400.
 */
export function configureHttp(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  // JSON webhooks signed over their exact bytes (the SMS relay phone) need the body as received.
  app.use(json({ limit: '64kb', verify: keepRawBody }));
  app.use(urlencoded({ extended: false, limit: '64kb' }));
}

/** Keeps the JSON body's bytes as `req.rawBody` (Nest's RawBodyRequest) for signature checks. */
function keepRawBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
}
