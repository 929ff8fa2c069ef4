import { Inject, Injectable } from '@nestjs/common';
import { CALLBACK_SETTINGS, CallbackRequestsRepository, CallbackWorkflow, nextCallableAt, retryAt, type CallbackRequest, type CallbackSettings } from '../callbacks';
import { CLOCK, type Clock } from '../common/clock';
import { AuditLogRepository } from './audit-log.repository';
import { isCallableNow, listedInQueue } from './request-access';
import type { StaffUser } from './staff.types';

/** One line of the queue: what a caller needs to choose, never her number. */
export interface QueueItem {
  id: string;
  refCode: string;
  topic: CallbackRequest['topic'];
  urgent: boolean;
  callLanguage: string;
  windows: CallbackRequest['windows'];
  voicemailSafe: boolean;
  smsSafe: boolean;
  status: CallbackRequest['status'];
  attempt: number;
  claimedBy: string | null;
  createdAt: Date;
  /** inside her window and staff hours right now. */
  callableNow: boolean;
  /** when she can next be called (now when callable; the retry time after "no answer"). */
  nextCallAt: Date | null;
  waitingMinutes: number;
}

export type TakeNextResult =
  | { kind: 'claimed'; request: CallbackRequest }
  | { kind: 'already_holding'; request: CallbackRequest }
  | { kind: 'empty' };

/**
 * The staff queue. Order: urgent first, then who can be called now, then the oldest. "Take next" only
 * hands out a request she can be called on now, in a language the caller speaks, and claims it with the
 * callback module's conditional UPDATE: two callers pressing at once never get the same one (the loser
 * moves on to the next candidate). A claim nobody resolves returns by the module's expire-claim job.
 */
@Injectable()
export class StaffQueueService {
  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(CallbackWorkflow) private readonly workflow: CallbackWorkflow,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Open requests as `viewer` may see them (src/staff/request-access.ts): agents the ones in their call
   * languages not held by a colleague, and their own; supervisors all.
   */
  async list(viewer: StaffUser): Promise<QueueItem[]> {
    const now = this.clock.now();
    const open = await this.requests.listOpen();
    const visible = open.filter((r) => listedInQueue(viewer, r));
    return visible.map((r) => this.item(r, now)).sort(compareItems);
  }

  item(req: CallbackRequest, now = this.clock.now()): QueueItem {
    const callableNow = isCallableNow(req, this.settings.staffHours, now);
    const next =
      req.status === 'no_answer' ? retryAt(req, this.settings) : callableNow ? now : nextCallableAt(req.windows, this.settings.staffHours, now);
    return {
      id: req.id,
      refCode: req.refCode,
      topic: req.topic,
      urgent: req.urgent,
      callLanguage: req.callLanguage,
      windows: req.windows,
      voicemailSafe: req.voicemailSafe,
      smsSafe: req.smsSafe,
      status: req.status,
      attempt: req.attempt,
      claimedBy: req.claimedBy,
      createdAt: req.createdAt,
      callableNow,
      nextCallAt: next === null ? null : new Date(next),
      waitingMinutes: Math.max(0, Math.floor((now - req.createdAt.getTime()) / 60_000)),
    };
  }

  async takeNext(staff: StaffUser): Promise<TakeNextResult> {
    const open = await this.requests.listOpen();
    const held = open.find((r) => r.status === 'claimed' && r.claimedBy === staff.id);
    if (held) return { kind: 'already_holding', request: held };
    const now = this.clock.now();
    const candidates = open
      .filter((r) => r.status === 'pending' && staff.languages.includes(r.callLanguage))
      .map((r) => this.item(r, now))
      .filter((i) => i.callableNow)
      .sort(compareItems);
    for (const candidate of candidates) {
      const claimed = await this.workflow.claim(candidate.id, staff.id);
      if (claimed) {
        await this.audit.record({ staffId: staff.id, action: 'claim', requestId: claimed.id, detail: { via: 'take_next' } });
        return { kind: 'claimed', request: claimed };
      }
    }
    return { kind: 'empty' };
  }
}

/** Urgent first, then callable now, then by age (oldest first). */
export function compareItems(a: QueueItem, b: QueueItem): number {
  return (
    Number(b.urgent) - Number(a.urgent) ||
    Number(b.callableNow) - Number(a.callableNow) ||
    a.createdAt.getTime() - b.createdAt.getTime()
  );
}
