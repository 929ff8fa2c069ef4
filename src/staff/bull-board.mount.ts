import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { CallbackScheduler } from '../callbacks';
import { OutboundService } from '../outbound/outbound.service';
import { StaffCsrf } from './staff-csrf';
import { noStore } from './staff-http';
import { StaffSessionsRepository } from './staff-sessions.repository';

export const BULL_BOARD_PATH = '/staff/queues';

/**
 * bull-board (@bull-board/express) under /staff/queues, for admins only: the gate resolves the staff
 * session itself (the board is an Express router, outside Nest's guards). Job payloads hold ids and
 * the bot's own texts only, never a number (design: "jobs are pointers"). Its own API changes state
 * with JSON calls from its page: those must come from the same origin (Sec-Fetch-Site / Origin).
 */
@Injectable()
export class BullBoardMount implements OnModuleInit, OnApplicationBootstrap {
  private readonly log = new Logger(BullBoardMount.name);
  private readonly adapter = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
  private board?: ReturnType<typeof createBullBoard>;

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(StaffSessionsRepository) private readonly sessions: StaffSessionsRepository,
    @Inject(StaffCsrf) private readonly csrf: StaffCsrf,
    @Inject(CallbackScheduler) private readonly callbacks: CallbackScheduler,
    @Inject(OutboundService) private readonly outbound: OutboundService,
  ) {}

  onModuleInit(): void {
    this.board = createBullBoard({ queues: [new BullMQAdapter(this.callbacks.queue, { readOnlyMode: false })], serverAdapter: this.adapter, options: { uiConfig: { boardTitle: 'Sira' } } });
    const app = this.host.httpAdapter?.getInstance<{ use: (...args: unknown[]) => void }>();
    if (!app) return; // no HTTP server (CLI contexts)
    app.use(BULL_BOARD_PATH, cookieParser(), boardHeaders, (req: Request, res: Response, next: NextFunction) => void this.gate(req, res, next), this.adapter.getRouter());
  }

  /** The outbound queues exist once the channels have registered (at their module init). */
  onApplicationBootstrap(): void {
    for (const channel of ['sms', 'telegram', 'whatsapp'] as const) {
      const queue = this.outbound.queueOf(channel);
      if (queue) this.board?.addQueue(new BullMQAdapter(queue));
    }
    this.log.log(`bull-board at ${BULL_BOARD_PATH} (admins only)`);
  }

  private async gate(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const staff = await this.sessions.resolve((req.cookies as Record<string, string | undefined>)?.[this.csrf.cookies.session]);
      if (!staff) return void res.redirect(303, '/staff/login');
      if (staff.role !== 'admin') return void res.status(403).type('text/plain').send('admins only');
      if (!['GET', 'HEAD'].includes(req.method) && !sameOrigin(req)) return void res.status(403).type('text/plain').send('cross-site request refused');
      noStore(res);
      next();
    } catch (err) {
      next(err);
    }
  }
}

/** The board's page needs its own scripts and inline styles; nothing from another origin. */
const boardHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  },
});

function sameOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site) return site === 'same-origin';
  const origin = req.headers.origin;
  return typeof origin === 'string' && origin === `${req.protocol}://${req.headers.host}`;
}
