import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';

/**
 * Security headers of every /staff response (helmet): no script may run at all, styles only from our
 * stylesheet, media (the recordings' players) only from ourselves, forms only to ourselves, never framed, no referrer; HSTS in production. And nothing is
 * cached unless a route says so (only the stylesheet does).
 */
@Injectable()
export class StaffHeadersMiddleware implements NestMiddleware {
  private readonly helmet: ReturnType<typeof helmet>;

  constructor(@Inject(CONFIG) config: Config) {
    this.helmet = helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          // the recordings pages' <audio> players (/audio/<sha256>.mp3, same origin)
          mediaSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          ...(config.production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: config.production,
      referrerPolicy: { policy: 'no-referrer' },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Cache-Control', 'no-store');
    this.helmet(req, res, next);
  }
}
