import { BadGatewayException, ConflictException, ForbiddenException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { CallbackRequest } from '../callbacks';
import { CLOCK, type Clock } from '../common/clock';
import { StaffCallLine } from '../channels/voice/staff-call.port';
import { AuditLogRepository } from './audit-log.repository';
import type { StaffCallRow } from './staff-calls.schema';
import { StaffCallsRepository } from './staff-calls.repository';
import { StaffPhoneRepository } from './staff-phone.repository';
import { StaffRequestsService } from './staff-requests.service';
import type { StaffUser } from './staff.types';

/** A call still `placed` or `bridged` after this long lost its webhooks: it no longer blocks a new one. */
const IN_PROGRESS_MS = 15 * 60_000;

/** What the request page shows of calls through Sira. */
export interface StaffCallPanel {
  /** a voice line is configured: the button is offered (to the holder), the reveal stays beside it. */
  available: boolean;
  /** the signed-in staff member has a phone on her account page. */
  hasPhone: boolean;
  calls: StaffCallRow[];
}

/**
 * "Appeler via Sira": the provider calls the agent's own phone and, when she answers, dials the woman
 * from Sira's number (src/staff/staff-call.bridge.ts). Her number is never shown, never typed, and
 * never leaves the server except to the provider's dial. Only the staff member who holds the request may
 * start it; each call is audited before the provider is asked.
 */
@Injectable()
export class StaffCallsService {
  private readonly log = new Logger(StaffCallsService.name);

  constructor(
    @Inject(StaffRequestsService) private readonly requests: StaffRequestsService,
    @Inject(StaffCallsRepository) private readonly calls: StaffCallsRepository,
    @Inject(StaffPhoneRepository) private readonly phones: StaffPhoneRepository,
    @Inject(StaffCallLine) private readonly line: StaffCallLine,
    @Inject(AuditLogRepository) private readonly audit: AuditLogRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async start(id: string, staff: StaffUser): Promise<CallbackRequest> {
    const req = await this.requests.get(id, staff);
    const dialer = this.line.dialer;
    if (!dialer) throw new NotFoundException('calls through Sira need a voice line: show the number instead');
    if (req.status !== 'claimed') throw new ConflictException('the request is not taken: take it first');
    if (req.claimedBy !== staff.id) throw new ForbiddenException('only the staff member who took the request may call her through Sira');
    const phone = await this.phones.get(staff.id);
    if (!phone) throw new ConflictException('add your own phone number on your account page first (Mon compte)');
    if (await this.calls.inProgress(id, new Date(this.clock.now() - IN_PROGRESS_MS))) throw new ConflictException('a call through Sira is already going on for this request');
    const call = await this.calls.create({ requestId: id, staffId: staff.id, attempt: req.attempt, claims: req.claims });
    await this.audit.record({ staffId: staff.id, action: 'staff_call', requestId: id, detail: { call: call.id, attempt: req.attempt } });
    try {
      await dialer.callAgent(phone, call.id);
    } catch (err) {
      const code = (err as { code?: unknown })?.code;
      await this.calls.move(call.id, 'placed', 'not_placed');
      await this.audit.record({ staffId: staff.id, action: 'staff_call_ended', requestId: id, detail: { call: call.id, state: 'not_placed', code: String(code ?? 'error') } });
      this.log.warn(`a call through Sira could not be placed (${String(code ?? 'error')})`);
      throw new BadGatewayException('the call could not be placed: try again in a moment, or show the number');
    }
    return req;
  }

  async panel(req: CallbackRequest, staff: StaffUser): Promise<StaffCallPanel> {
    const [hasPhone, calls] = await Promise.all([this.phones.has(staff.id), this.calls.latest(req.id, 5)]);
    return { available: this.line.available, hasPhone, calls };
  }
}
