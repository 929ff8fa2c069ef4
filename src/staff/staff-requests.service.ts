import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { windowFor, DAY_SETS, PARTS_OF_DAY, type DaySet, type PartOfDay } from '../callbacks/call-windows';
import { CallbackRequestsRepository } from '../callbacks/callback-requests.repository';
import { CallbackScheduler } from '../callbacks/callback.scheduler';
import { CALLBACK_SETTINGS, type CallbackSettings } from '../callbacks/callback.settings';
import { OPEN_STATUSES, type CallbackRequest } from '../callbacks/callback.types';
import { CallbackWorkflow } from '../callbacks/callback.workflow';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { AuditLogRepository } from './audit-log.repository';
import { CallbackOutcomesRepository, type OutcomeRecord } from './callback-outcomes.repository';
import { holds, isCallableNow, mayActOn, mayBeGiven, mayClaim, maySee, type AccessDecision } from './request-access';
import { RevealLimitedException, RevealLimiter } from './reveal-limiter';
import { isUuid, StaffUsersRepository } from './staff-users.repository';
import { CALL_OUTCOMES, type CallOutcome } from './staff.schema';
import type { StaffUser } from './staff.types';
import { StatusSms } from './status-sms';

export interface OutcomeInput {
  outcome: string;
  note?: string;
  /** for "rescheduled": the new safe time she gave. */
  partOfDay?: string;
  days?: string;
}

export interface RequestHistoryEntry {
  from: string | null;
  to: string;
  actor: string;
  at: Date;
}

/**
 * What staff do to one request: take it, give it back, reveal her number (counted per hour, audited
 * before it is decrypted), record the outcome of a call (with an encrypted note), and — supervisors —
 * reassign it. Who may do what is decided by src/staff/request-access.ts alone. Status moves go through
 * the callback module (conditional transitions, jobs re-planned).
 */
@Injectable()
export class StaffRequestsService {
  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackWorkflow) private readonly workflow: CallbackWorkflow,
    @Inject(CallbackScheduler) private readonly scheduler: CallbackScheduler,
    @Inject(CallbackOutcomesRepository) private readonly outcomes: CallbackOutcomesRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(StatusSms) private readonly statusSms: StatusSms,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
    @Inject(REDIS) redis: RedisClient,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.revealLimiter = new RevealLimiter(redis, config, clock);
  }

  private readonly revealLimiter: RevealLimiter;

  /** The request as `staff` may see it: one she may not see is answered exactly as an unknown one (404). */
  async get(id: string, staff: StaffUser): Promise<CallbackRequest> {
    const req = isUuid(id) ? await this.requests.findById(id) : undefined;
    if (!req || req.status === 'erased' || !maySee(staff, req)) throw new NotFoundException('no such request');
    return req;
  }

  async history(id: string): Promise<{ transitions: RequestHistoryEntry[]; outcomes: OutcomeRecord[] }> {
    const transitions = (await this.requests.transitions(id)).map((t) => ({ from: t.fromStatus, to: t.toStatus, actor: t.actor, at: t.at }));
    return { transitions, outcomes: await this.outcomes.forRequest(id) };
  }

  /** Take it: an agent only when she can call her now; one she already holds (assigned to her) is hers. */
  async claim(id: string, staff: StaffUser): Promise<CallbackRequest> {
    const req = await this.get(id, staff);
    enforce(mayClaim(staff, req, isCallableNow(req, this.settings.staffHours, this.clock.now())));
    if (holds(staff, req)) return req;
    const claimed = await this.workflow.claim(id, staff.id);
    if (!claimed) throw new ConflictException('someone else has taken it, or it is not waiting');
    await this.audit.record({ staffId: staff.id, action: 'claim', requestId: id });
    return claimed;
  }

  /** Gives a held request back to the queue (same attempt). */
  async release(id: string, staff: StaffUser): Promise<CallbackRequest> {
    const req = this.mustHold(await this.get(id, staff), staff);
    const released = await this.requests.transition(id, 'claimed', 'pending', `staff:${staff.id}`, this.now(), {
      changes: { claimedBy: null, claimedAt: null },
      claims: req.claims,
    });
    if (!released) throw new ConflictException('the request has moved on');
    await this.scheduler.ensure(released).catch(() => undefined);
    await this.audit.record({ staffId: staff.id, action: 'release', requestId: id });
    return released;
  }

  /**
   * Her number, for the caller who holds the request (or a supervisor), only while it is open, and at
   * most STAFF_REVEALS_PER_HOUR times an hour per account (counted first; over it 429, audited as
   * `reveal_limited`, shown to supervisors). The audit row is written first: no audit, no number.
   */
  async reveal(id: string, staff: StaffUser): Promise<{ request: CallbackRequest; number: string }> {
    const req = await this.get(id, staff);
    if (!OPEN_STATUSES.includes(req.status)) throw new ConflictException('the request is closed: its number is no longer shown');
    enforce(mayActOn(staff, req), 'take the request before revealing the number');
    const counted = await this.revealLimiter.count(staff.id);
    if (!counted.allowed) {
      await this.audit.record({ staffId: staff.id, action: 'reveal_limited', requestId: id, detail: { count: counted.count, limit: this.revealLimit() } });
      throw new RevealLimitedException(counted.retryAfterSeconds);
    }
    await this.audit.record({ staffId: staff.id, action: 'reveal', requestId: id, detail: { status: req.status, attempt: req.attempt } });
    const number = await this.requests.revealNumber(id);
    if (!number) throw new NotFoundException('no such request');
    return { request: req, number };
  }

  async recordOutcome(id: string, staff: StaffUser, input: OutcomeInput): Promise<{ request: CallbackRequest; smsQueued: boolean }> {
    const outcome = checkOutcome(input.outcome);
    const window = outcome === 'rescheduled' ? checkWindow(input.partOfDay, input.days) : undefined;
    const req = this.mustHold(await this.get(id, staff), staff);
    const after = await this.applyOutcome(req, staff, outcome, window);
    if (!after) throw new ConflictException('the request has moved on (released or expired): take it again');
    await this.outcomes.add({ requestId: id, staffId: staff.id, outcome, attempt: req.attempt, note: input.note });
    await this.audit.record({ staffId: staff.id, action: 'outcome', requestId: id, detail: { outcome, status: after.status } });
    return { request: after, smsQueued: await this.statusSms.afterOutcome(after) };
  }

  /** Supervisors: give a waiting or held request to another active staff member. */
  async reassign(id: string, to: string, supervisor: StaffUser): Promise<CallbackRequest> {
    const target = await this.users.findById(to);
    if (!target || !target.active) throw new BadRequestException('no such active staff member');
    let req = await this.get(id, supervisor);
    if (!mayBeGiven(target, req)) throw new BadRequestException('this staff member does not call in the request’s language');
    if (req.status === 'claimed') {
      const released = await this.requests.transition(id, 'claimed', 'pending', `staff:${supervisor.id}`, this.now(), {
        changes: { claimedBy: null, claimedAt: null },
        claims: req.claims,
      });
      if (!released) throw new ConflictException('the request has moved on');
      req = released;
    }
    if (req.status !== 'pending') throw new ConflictException('only a waiting or held request can be reassigned');
    const claimed = await this.workflow.claim(id, target.id);
    if (!claimed) throw new ConflictException('someone else took it meanwhile');
    await this.audit.record({ staffId: supervisor.id, action: 'reassign', requestId: id, detail: { to: target.id } });
    return claimed;
  }

  private async applyOutcome(req: CallbackRequest, staff: StaffUser, outcome: CallOutcome, window?: ReturnType<typeof windowFor>) {
    const actor = `staff:${staff.id}` as const;
    const released = { claimedBy: null, claimedAt: null };
    switch (outcome) {
      case 'reached':
        return this.workflow.complete(req.id, staff.id);
      case 'no_answer':
        return this.workflow.recordNoAnswer(req.id, staff.id);
      case 'asked_to_stop':
        return this.workflow.cancel(req, actor);
      case 'wrong_number':
        return this.requests.transition(req.id, 'claimed', 'unreachable', actor, this.now(), { changes: released, claims: req.claims });
      case 'rescheduled': {
        const moved = await this.requests.transition(req.id, 'claimed', 'pending', actor, this.now(), {
          changes: { ...released, windows: [window!], dueAt: this.now() },
          claims: req.claims,
        });
        if (moved) await this.scheduler.ensure(moved).catch(() => undefined);
        return moved;
      }
    }
  }

  private mustHold(req: CallbackRequest, staff: StaffUser): CallbackRequest {
    if (req.status !== 'claimed') throw new ConflictException('the request is not taken: take it first');
    enforce(mayActOn(staff, req), 'another staff member holds this request');
    return req;
  }

  private revealLimit(): number {
    return this.config.staff.revealsPerHour;
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}

/** A refusal of the rule as HTTP: hidden → 404 (as unknown), not callable now → 409, not hers → 403. */
function enforce(decision: AccessDecision, notHolder = 'another staff member holds this request'): void {
  if (decision.ok) return;
  if (decision.reason === 'hidden') throw new NotFoundException('no such request');
  if (decision.reason === 'not_callable') {
    throw new ConflictException('not callable now: outside her safe window or staff hours — take it when she can be called, or ask a supervisor to give it to you');
  }
  throw new ForbiddenException(notHolder);
}

function checkOutcome(value: string): CallOutcome {
  if (!(CALL_OUTCOMES as readonly string[]).includes(value)) throw new BadRequestException(`outcome: one of ${CALL_OUTCOMES.join(', ')}`);
  return value as CallOutcome;
}

function checkWindow(part: string | undefined, days: string | undefined) {
  if (!part || !(part in PARTS_OF_DAY)) throw new BadRequestException('partOfDay: morning, afternoon or evening');
  if (!days || !(days in DAY_SETS)) throw new BadRequestException('days: any, weekdays or weekend');
  return windowFor(part as PartOfDay, days as DaySet);
}
