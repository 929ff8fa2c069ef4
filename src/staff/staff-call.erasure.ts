import { Inject, Injectable, Logger } from '@nestjs/common';
import { CallbackRequestsRepository } from '../callbacks';
import { StaffCallLine } from '../channels/voice/staff-call.port';
import type { ContactEvent, ContactEventContext, ContactEventOutcome } from '../conversations/contact-event';
import { OnContactEvent } from '../conversations/contact-event.registry';
import { StaffCallsRepository } from './staff-calls.repository';

/**
 * Her erasure reaches the calls staff made to her through Sira: the provider deletes them (her leg, and
 * the agent's leg whose logs hold the TwiML that dialled her number). Her number may not be the address
 * she erased from (a callback number she typed), so the calls are found by her requests, not by address.
 * Runs after the callback jobs are forgotten (order 10) and before her rows go (the cascade then deletes
 * staff_calls). A failure never stops the erasure: it is logged by code, never with a number.
 */
@Injectable()
export class StaffCallErasure {
  private readonly log = new Logger(StaffCallErasure.name);

  constructor(
    @Inject(CallbackRequestsRepository) private readonly requests: CallbackRequestsRepository,
    @Inject(StaffCallsRepository) private readonly calls: StaffCallsRepository,
    @Inject(StaffCallLine) private readonly line: StaffCallLine,
  ) {}

  @OnContactEvent('erase_requested', { phase: 'before', order: 15 })
  async forgetCalls(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    try {
      const ids = await this.calls.providerIds((await this.requests.listByContact(contact.id)).map((r) => r.id));
      if (!ids.length) return {};
      const dialer = this.line.dialer;
      if (!dialer) {
        this.log.warn(`calls through Sira not deleted at the provider: no voice line configured now (${ids.length})`);
        return {};
      }
      const result = await dialer.forgetCalls(ids);
      if (result.failures.length) this.log.warn(`calls through Sira not all deleted at the provider: ${result.failures.join(', ')}`);
    } catch (err) {
      this.log.warn(`calls through Sira not deleted at the provider: ${err instanceof Error ? err.name : 'error'}`);
    }
    return {};
  }
}
