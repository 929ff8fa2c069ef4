import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  CALL_OUTCOMES,
  CALLBACK_SETTINGS,
  CallbackOutcomesRepository,
  CallbackRequestsRepository,
  CallbackWorkflow,
  DAY_SETS,
  OPEN_STATUSES,
  PARTS_OF_DAY,
  StatusSms,
  windowFor,
  type CallbackRequest,
  type CallbackSettings,
  type CallOutcome,
  type DaySet,
  type OutcomeRecord,
  type PartOfDay,
  type ReassignResult,
} from '../callbacks';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { AuditLogRepository } from './audit-log.repository';
import { holds, isCallableNow, mayActOn, mayBeGiven, mayClaim, maySee, type AccessDecision } from './request-access';
import { RevealLimitedException, RevealLimiter } from './reveal-limiter';
import { isUuid, StaffUsersRepository } from './staff-users.repository';
import type { StaffUser } from './staff.types';

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
 * reassign it. Who may do what is decided by src/staff/request-access.ts alone; every status move is
 * CallbackWorkflow's (conditional transitions with their rows, jobs re-planned), and the outcome
 * records and the status SMS are the callback module's too. Here: access, HTTP answers, the audit log.
 */
@Injectable()
export class StaffRequestsService {
  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackWorkflow) private readonly workflow: CallbackWorkflow,
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
    const released = await this.workflow.release(req, staff.id);
    if (!released) throw new ConflictException('the request has moved on');
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
    const after = await this.workflow.recordOutcome(req, staff.id, outcome, window);
    if (!after) throw new ConflictException('the request has moved on (released or expired): take it again');
    await this.outcomes.add({ requestId: id, staffId: staff.id, outcome, attempt: req.attempt, note: input.note });
    await this.audit.record({ staffId: staff.id, action: 'outcome', requestId: id, detail: { outcome, status: after.status } });
    return { request: after, smsQueued: await this.statusSms.afterOutcome(after) };
  }

  /** Supervisors: give a waiting or held request to another active staff member. */
  async reassign(id: string, to: string, supervisor: StaffUser): Promise<CallbackRequest> {
    const target = await this.users.findById(to);
    if (!target || !target.active) throw new BadRequestException('no such active staff member');
    const req = await this.get(id, supervisor);
    if (!mayBeGiven(target, req)) throw new BadRequestException('this staff member does not call in the request’s language');
    const claimed = reassigned(await this.workflow.reassign(req, target.id, supervisor.id));
    await this.audit.record({ staffId: supervisor.id, action: 'reassign', requestId: id, detail: { to: target.id } });
    return claimed;
  }

  private mustHold(req: CallbackRequest, staff: StaffUser): CallbackRequest {
    if (req.status !== 'claimed') throw new ConflictException('the request is not taken: take it first');
    enforce(mayActOn(staff, req), 'another staff member holds this request');
    return req;
  }

  private revealLimit(): number {
    return this.config.staff.revealsPerHour;
  }
}

/** The workflow's answer to a reassignment as HTTP: each refusal is a 409 saying what happened. */
function reassigned(result: ReassignResult): CallbackRequest {
  switch (result.kind) {
    case 'reassigned':
      return result.request;
    case 'moved_on':
      throw new ConflictException('the request has moved on');
    case 'not_waiting':
      throw new ConflictException('only a waiting or held request can be reassigned');
    case 'taken':
      throw new ConflictException('someone else took it meanwhile');
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
