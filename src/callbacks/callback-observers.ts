import { Injectable, Logger } from '@nestjs/common';
import type { CallbackRequest, CallbackStatus, CallOutcome } from './callback.types';

/**
 * Who wants to know that a request moved, after the move committed (src/insights counts them): told
 * the request as it now is, never asked anything back. An observer that throws is logged and ignored:
 * a count is never worth a staff action or her request.
 */
export interface CallbackObserver {
  requested?(req: CallbackRequest, at: Date): void;
  /** a staff member recorded a call's outcome (the request is as it was before the outcome). */
  called?(req: CallbackRequest, outcome: CallOutcome, at: Date): void;
  closed?(req: CallbackRequest, status: CallbackStatus, at: Date): void;
}

@Injectable()
export class CallbackObservers {
  private readonly log = new Logger(CallbackObservers.name);
  private readonly list: CallbackObserver[] = [];

  add(observer: CallbackObserver): void {
    this.list.push(observer);
  }

  notify(tell: (o: CallbackObserver) => void): void {
    for (const o of this.list) {
      try {
        tell(o);
      } catch (err) {
        this.log.warn(`callback observer failed: ${err instanceof Error ? err.name : 'error'}`);
      }
    }
  }
}
