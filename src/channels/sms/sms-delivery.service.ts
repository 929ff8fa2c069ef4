import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContactFacts } from '../../conversations/contact-facts.service';
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
  /**
   * Sira's own row id, when the provider lets Sira name the message (a relay phone does): a receipt
   * then also settles a send that ended `unknown` (timed out, yet the phone had it).
   */
  rowId?: string;
}

/** Receipts that prove the message left (or failed at) the provider: they may settle an `unknown` row. */
const SETTLING: ReadonlySet<OutboundStatus> = new Set(['sent', 'delivered', 'undelivered', 'failed']);

/** Applies delivery receipts to `outbound_messages`; a receipt never moves a row backwards. */
@Injectable()
export class SmsDeliveryService {
  private readonly log = new Logger(SmsDeliveryService.name);

  constructor(
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(ContactFacts) private readonly facts: ContactFacts,
  ) {}

  /** Returns whether a row was updated. */
  async apply(receipt: SmsReceipt): Promise<boolean> {
    const row = (await this.messages.applyReceipt('sms', receipt.providerId, receipt.status, receipt.errorCode ?? null)) ?? (await this.settleUnknown(receipt));
    const contactId = receipt.optedOut ? (row ?? (await this.messages.findByProviderId('sms', receipt.providerId)))?.contactId : null;
    if (contactId) {
      await this.facts.submit(contactId, { type: 'carrier_opted_out' });
      this.log.log('SMS contact stopped: opted out at the carrier');
    }
    return row !== undefined;
  }

  /** A send recorded `unknown` whose own row id the receipt names: it did reach the provider. */
  private async settleUnknown(receipt: SmsReceipt) {
    if (!receipt.rowId || !SETTLING.has(receipt.status) || !UUID.test(receipt.rowId)) return undefined;
    const row = await this.messages.findById(receipt.rowId);
    if (!row || row.channel !== 'sms' || row.status !== 'unknown' || row.providerId !== null) return undefined;
    await this.messages.markSent(row.id, receipt.providerId);
    this.log.log('SMS send that ended unknown settled by a receipt');
    return receipt.status === 'sent' ? this.messages.findById(row.id) : this.messages.applyReceipt('sms', receipt.providerId, receipt.status, receipt.errorCode ?? null);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
