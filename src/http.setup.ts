import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded } from 'express';

/**
 * Body limits and parsers shared by main.ts and the end-to-end tests, so that tests run the same
 * HTTP stack as production: a body over the limit is a 413, malformed JSON a 400.
 */
export function configureHttp(app: NestExpressApplication): void {
  app.disable('x-powered-by');
  app.use(json({ limit: '64kb' }));
  app.use(urlencoded({ extended: false, limit: '64kb' }));
}
