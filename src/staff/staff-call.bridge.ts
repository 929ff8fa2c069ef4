import { HttpException, Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CallbackRequestsRepository, type CallOutcome } from '../callbacks';
import { StaffCallLine, type DialOutcome, type StaffCallBridge } from '../channels/voice/staff-call.port';
import { AuditLogRepository } from './audit-log.repository';
import { StaffCallsRepository } from './staff-calls.repository';
import { StaffRequestsService } from './staff-requests.service';
import { StaffUsersRepository } from './staff-users.repository';

/**
 * Her leg's outcome as a call outcome, with the usual rules (CallbackWorkflow through
 * StaffRequestsService.recordOutcome): answered → reached (the request completes); no answer or busy →
 * no answer (a retry in her next window, or unreachable after the last attempt). A failed or cancelled
 * dial says nothing about her: the request stays held, for another try or the reveal.
 */
const OUTCOME_OF: Record<DialOutcome['status'], CallOutcome | undefined> = {
  completed: 'reached',
  answered: 'reached',
  'no-answer': 'no_answer',
  busy: 'no_answer',
  failed: undefined,
  canceled: undefined,
};

const SAID_OF: Record<DialOutcome['status'], string> = {
  completed: 'répondu',
  answered: 'répondu',
  'no-answer': 'pas de réponse',
  busy: 'occupé',
  failed: 'échec',
  canceled: 'annulé',
};

/**
 * The staff side of the provider's webhooks for a call through Sira. `connect` decrypts her number for
 * the provider's dial only while the request is still held by the staff member who started the call,
 * under the same claim; each webhook acts once (conditional state changes of staff_calls).
 */
@Injectable()
export class StaffCallBridgeService implements StaffCallBridge, OnModuleInit {
  private readonly log = new Logger(StaffCallBridgeService.name);

  constructor(
    @Inject(StaffCallsRepository) private readonly calls: StaffCallsRepository,
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(StaffRequestsService) private readonly staffRequests: StaffRequestsService,
    @Inject(StaffUsersRepository) private readonly users: StaffUsersRepository,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(StaffCallLine) private readonly line: StaffCallLine,
  ) {}

  onModuleInit(): void {
    this.line.registerBridge(this);
  }

  async connect(callId: string, providerCallId?: string): Promise<{ to: string } | undefined> {
    const call = await this.calls.find(callId);
    if (!call || call.state !== 'placed') return undefined;
    const req = await this.requests.findById(call.requestId);
    const stillHers = req && req.status === 'claimed' && req.claimedBy === call.staffId && req.claims === call.claims;
    if (!stillHers) {
      if (await this.calls.move(callId, 'placed', 'refused')) {
        await this.audit.record({ staffId: call.staffId, action: 'staff_call_ended', requestId: call.requestId, detail: { call: callId, state: 'refused' } });
      }
      return undefined;
    }
    if (!(await this.calls.move(callId, 'placed', 'bridged', { providerCallId }))) return undefined; // a repeated webhook dials once
    await this.audit.record({ staffId: call.staffId, action: 'staff_call_connected', requestId: call.requestId, detail: { call: callId, attempt: req.attempt } });
    const number = await this.requests.revealNumber(call.requestId);
    return number ? { to: number } : undefined;
  }

  async finished(callId: string, outcome: DialOutcome): Promise<void> {
    const call = await this.calls.move(callId, 'bridged', 'finished', { dialStatus: outcome.status, durationSeconds: outcome.seconds, providerCallId: outcome.providerCallId });
    if (!call) return;
    const result = OUTCOME_OF[outcome.status];
    let recorded = false;
    if (result) recorded = await this.record(call.requestId, call.staffId, result, `Appel via Sira : ${SAID_OF[outcome.status]}${outcome.seconds ? `, ${duration(outcome.seconds)}` : ''}`);
    await this.audit.record({
      staffId: call.staffId,
      action: 'staff_call_ended',
      requestId: call.requestId,
      detail: { call: callId, state: 'finished', dial_status: outcome.status, seconds: outcome.seconds, outcome: result ?? 'none', recorded },
    });
  }

  async agentUnreached(callId: string, reason: string): Promise<void> {
    const call = await this.calls.move(callId, 'placed', 'agent_unreached');
    if (!call) return;
    await this.audit.record({ staffId: call.staffId, action: 'staff_call_ended', requestId: call.requestId, detail: { call: callId, state: 'agent_unreached', reason } });
  }

  /** Written as the holder would have: the request may have moved on meanwhile (then nothing changes). */
  private async record(requestId: string, staffId: string, outcome: CallOutcome, note: string): Promise<boolean> {
    const staff = await this.users.findById(staffId);
    if (!staff) return false;
    try {
      await this.staffRequests.recordOutcome(requestId, staff, { outcome, note });
      return true;
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      this.log.debug(`the outcome of a call through Sira was not recorded: ${err.getStatus()}`);
      return false;
    }
  }
}

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}
