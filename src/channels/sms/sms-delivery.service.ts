import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { OutboundMessagesRepository } from '../../outbound/outbound-messages.repository';
import type { OutboundStatus } from '../../outbound/outbound.types';

/** A delivery receipt, as any SMS provider adapter normalises it. */
export interface SmsReceipt {
  providerId: string;
  status: OutboundStatus;
  /** the provider's error code, if any (recorded, never a body or a number). */
  errorCode?: string | null;
  /** the carrier says she opted out (Twilio 21610): the contact is stopped. */
  optedOut?: boolean;
}

/** Applies delivery receipts to `outbound_messages`; a receipt never moves a row backwards. */
@Injectable()
export class SmsDeliveryService {
  private readonly log = new Logger(SmsDeliveryService.name);

  constructor(
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
  ) {}

  /** Returns whether a row was updated. */
  async apply(receipt: SmsReceipt): Promise<boolean> {
    const row = await this.messages.applyReceipt('sms', receipt.providerId, receipt.status, receipt.errorCode ?? null);
    const contactId = receipt.optedOut ? (row ?? (await this.messages.findByProviderId('sms', receipt.providerId)))?.contactId : null;
    if (contactId) {
      await this.contacts.setOptedOut(contactId, true, 'carrier');
      this.log.log('SMS contact stopped: opted out at the carrier');
    }
    return row !== undefined;
  }
}
