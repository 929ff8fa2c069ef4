import { Inject, Injectable, Optional } from '@nestjs/common';
import { CallbackObservers } from './callback-observers';
import { CLOCK, type Clock } from '../common/clock';
import { CallbackRequestsRepository } from './callback-requests.repository';
import { CallbackScheduler } from './callback.scheduler';
import { CALLBACK_SETTINGS, type CallbackSettings } from './callback.settings';
import type { CallbackActor, CallbackRequest, CallOutcome, CallWindow } from './callback.types';
import type { RequestChanges } from './callback-answers';

/** How a supervisor's reassignment ended: given, or why not (the request moved on meanwhile). */
export type ReassignResult =
  | { kind: 'reassigned'; request: CallbackRequest }
  /** it was held, and the hold changed before it could be released. */
  | { kind: 'moved_on' }
  /** neither waiting nor held (a retry not yet due, or closed). */
  | { kind: 'not_waiting' }
  /** released (or waiting), but someone else took it first. */
  | { kind: 'taken' };

/**
 * The only owner of a request's status after it is registered: staff moves (claim, release, reassign,
 * call outcomes), her own (change, cancel) and timers' (retry, expired claim). Each move is one
 * conditional transition in PostgreSQL with its transition row, in one transaction
 * (CallbackRequestsRepository.transition); the jobs the new state needs are added after it committed
 * (and would be rebuilt from the row if that failed). Who may ask for a move is the caller's rule.
 */
@Injectable()
export class CallbackWorkflow {
  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackScheduler) private readonly scheduler: CallbackScheduler,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(CallbackObservers) private readonly observers?: CallbackObservers,
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

  /** The holder gives it back to the queue: same attempt, only while this claim still stands. */
  async release(req: CallbackRequest, staffId: string): Promise<CallbackRequest | undefined> {
    return this.withJobs(await this.unclaim(req, staffId));
  }

  /**
   * A supervisor gives a waiting or held request to `toStaffId`: a held one is released first (by the
   * supervisor), then claimed for the new holder, each its own transition.
   */
  async reassign(req: CallbackRequest, toStaffId: string, supervisorId: string): Promise<ReassignResult> {
    let current: CallbackRequest | undefined = req;
    if (req.status === 'claimed') {
      current = await this.unclaim(req, supervisorId);
      if (!current) return { kind: 'moved_on' };
    }
    if (current.status !== 'pending') return { kind: 'not_waiting' };
    const claimed = await this.claim(req.id, toStaffId);
    return claimed ? { kind: 'reassigned', request: claimed } : { kind: 'taken' };
  }

  /** What a held call's outcome does to the request; undefined when the claim had moved on. */
  async recordOutcome(req: CallbackRequest, staffId: string, outcome: CallOutcome, window?: CallWindow): Promise<CallbackRequest | undefined> {
    const after = await this.moveFor(req, staffId, outcome, window);
    if (after) this.observers?.notify((o) => o.called?.(req, outcome, this.now()));
    return after;
  }

  private moveFor(req: CallbackRequest, staffId: string, outcome: CallOutcome, window?: CallWindow): Promise<CallbackRequest | undefined> {
    switch (outcome) {
      case 'reached':
        return this.complete(req.id, staffId);
      case 'no_answer':
        return this.recordNoAnswer(req.id, staffId);
      case 'asked_to_stop':
        return this.cancel(req, `staff:${staffId}`);
      case 'wrong_number':
        return this.wrongNumber(req, staffId);
      case 'rescheduled':
        if (!window) throw new Error('a rescheduled call needs the new window');
        return this.reschedule(req, staffId, window);
    }
  }

  /** The number reaches someone else: nobody can call her, the request closes as unreachable. */
  wrongNumber(req: CallbackRequest, staffId: string): Promise<CallbackRequest | undefined> {
    return this.requests.transition(req.id, 'claimed', 'unreachable', `staff:${staffId}`, this.now(), {
      changes: releasedClaim(),
      claims: req.claims,
    });
  }

  /** She asked to be called at another time: back in the queue now, with only that window. */
  async reschedule(req: CallbackRequest, staffId: string, window: CallWindow): Promise<CallbackRequest | undefined> {
    const now = this.now();
    return this.withJobs(
      await this.requests.transition(req.id, 'claimed', 'pending', `staff:${staffId}`, now, {
        changes: { ...releasedClaim(), windows: [window], dueAt: now },
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

  private unclaim(req: CallbackRequest, staffId: string): Promise<CallbackRequest | undefined> {
    return this.requests.transition(req.id, 'claimed', 'pending', `staff:${staffId}`, this.now(), { changes: releasedClaim(), claims: req.claims });
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
