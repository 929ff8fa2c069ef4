import { Injectable, type BeforeApplicationShutdown, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Once shutdown has begun, every response says `Connection: close`. Without it, a client (or a load
 * balancer) that keeps its connection alive goes on sending requests on it while the instance is
 * stopping, so "finish what is in flight" never ends under load and the watchdog kills the process.
 */
@Injectable()
export class DrainingState implements BeforeApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}

@Injectable()
export class CloseWhileDraining implements NestMiddleware {
  constructor(private readonly state: DrainingState) {}

  use(_req: Request, res: Response, next: NextFunction): void {
    if (this.state.draining) res.setHeader('Connection', 'close');
    next();
  }
}
