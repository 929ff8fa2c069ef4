import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { CallbackRequest } from './callback.types';
import { ContactsRepository } from '../contacts/contacts.repository';
import { OutboundService } from '../outbound/outbound.service';

/** The statuses she is told about by SMS: she was not reached, so she would not know otherwise. */
const TOLD_BY_SMS = new Set(['no_answer', 'unreachable']);
/**
 * The channels the status text goes to, the one she wrote from: SMS, and WhatsApp (issue 25) through the
 * same queue, where the WhatsApp admit hook sends it as text inside her 24-hour window, as its approved
 * template outside it, or not at all (counted). Never Telegram or a call.
 */
const TOLD_ON = new Set<string>(['sms', 'whatsapp']);

/**
 * A discreet status SMS after an unanswered call, only when she said an SMS is safe, only on the SMS or
 * WhatsApp channel she wrote from, to the number stored with her consent (never the number typed for the call).
 * The text says only "reply STATUT <code> for news" (`callback:proactive.status`), whatever the status:
 * whoever holds the phone learns nothing of a call, a topic or an organisation; her own STATUT then gets
 * the status line. Opt-out and the proactive discretion check are the queue's (OutboundService).
 */
@Injectable()
export class StatusSms {
  private readonly log = new Logger(StatusSms.name);

  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Optional() @Inject(OutboundService) private readonly outbound?: OutboundService,
  ) {}

  /** Returns whether a message was queued. */
  async afterOutcome(req: CallbackRequest): Promise<boolean> {
    if (!req.smsSafe || !TOLD_ON.has(req.channel) || !TOLD_BY_SMS.has(req.status)) return false;
    if (!this.outbound?.queueOf(req.channel)) return false; // that channel not configured
    try {
      const contact = await this.contacts.findById(req.contactId);
      const language = contact?.language ?? req.callLanguage;
      const ids = await this.outbound.enqueueProactive(req.channel, req.contactId, language, [
        { text: 'callback:proactive.status', params: { code: req.refCode } },
      ]);
      return ids.length > 0;
    } catch (err) {
      // the outcome is recorded whatever happens to the courtesy message
      this.log.warn(`status SMS not queued: ${err instanceof Error ? err.name : 'error'}`);
      return false;
    }
  }
}
