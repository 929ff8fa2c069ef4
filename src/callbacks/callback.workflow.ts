import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CallbackRequestsRepository } from './callback-requests.repository';
import { CallbackScheduler } from './callback.scheduler';
import { CALLBACK_SETTINGS, type CallbackSettings } from './callback.settings';
import type { CallbackActor, CallbackRequest } from './callback.types';
import type { RequestChanges } from './callback-answers';

/**
 * The moves of a request after it is registered, by staff (claim, outcome) and by timers (retry,
 * expired claim). Each move is a conditional transition in PostgreSQL first; the jobs the new state
 * needs are added after it committed (and would be rebuilt from the row if that failed).
 */
@Injectable()
export class CallbackWorkflow {
  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackScheduler) private readonly scheduler: CallbackScheduler,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A staff member takes a pending request; undefined when someone else was first. */
  async claim(id: string, staffId: string): Promise<CallbackRequest | undefined> {
    const req = await this.requests.findById(id);
    if (!req) return undefined;
    const now = this.now();
    return this.withJobs(
      await this.requests.transition(id, 'pending', 'claimed', `staff:${staffId}`, now, {
        changes: { claimedBy: staffId, claimedAt: now, claims: req.claims + 1 },
        claims: req.claims,
      }),
    );
  }

  /** She was reached: done. */
  complete(id: string, staffId: string): Promise<CallbackRequest | undefined> {
    return this.requests.transition(id, 'claimed', 'completed', `staff:${staffId}`, this.now(), { changes: releasedClaim() });
  }

  /**
   * No answer: a retry at the start of her next safe window, or — after the last allowed attempt —
   * the request closes as unreachable.
   */
  async recordNoAnswer(id: string, staffId: string): Promise<CallbackRequest | undefined> {
    const now = this.now();
    const req = await this.requests.transition(id, 'claimed', 'no_answer', `staff:${staffId}`, now, { changes: releasedClaim() });
    if (!req) return undefined;
    if (req.attempt >= this.settings.maxAttempts) return this.requests.transition(id, 'no_answer', 'unreachable', 'system', now);
    return this.withJobs(req);
  }

  /** Timer: her next window has come; the request is back in the queue as a new attempt. */
  async retryDue(id: string, attempt: number): Promise<CallbackRequest | undefined> {
    const now = this.now();
    return this.withJobs(
      await this.requests.transition(id, 'no_answer', 'pending', 'system', now, {
        changes: { attempt: attempt + 1, dueAt: now, notifiedAt: null, escalatedAt: null },
        attempt,
      }),
    );
  }

  /** Timer: a claim nobody resolved in time goes back to the queue (same attempt, not escalated again). */
  async expireClaim(id: string, claims: number): Promise<CallbackRequest | undefined> {
    return this.withJobs(
      await this.requests.transition(id, 'claimed', 'pending', 'system', this.now(), { changes: releasedClaim(), claims }),
    );
  }

  /**
   * She changes her open request (CHANGER): call time, voicemail, SMS. A new time re-plans its jobs (a
   * retry waits for the start of her next window, so it must follow the new one).
   */
  async change(req: CallbackRequest, changes: RequestChanges): Promise<CallbackRequest | undefined> {
    const changed = await this.requests.changeOpen(req.id, changes, this.now());
    if (changed && changes.windows) {
      await this.scheduler.forget(req).catch(() => undefined);
      return this.withJobs(changed);
    }
    return changed;
  }

  /** She (actor 'contact') or staff cancel an open request. */
  async cancel(req: CallbackRequest, actor: CallbackActor): Promise<CallbackRequest | undefined> {
    return this.requests.transition(req.id, req.status, 'cancelled', actor, this.now(), { changes: releasedClaim() });
  }

  private async withJobs(req: CallbackRequest | undefined): Promise<CallbackRequest | undefined> {
    if (req) await this.scheduler.ensure(req).catch(() => undefined); // the sweep re-creates it if Redis is down
    return req;
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

function releasedClaim() {
  return { claimedBy: null, claimedAt: null };
}
