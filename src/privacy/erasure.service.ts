import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { and, eq, isNotNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { CallbackRequestsRepository } from '../callbacks/callback-requests.repository';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import type { SentRecord } from '../channels/contact-forgetter';
import { outboundMessages } from '../outbound/outbound-messages.schema';
import { staffAuditLog } from '../staff/staff.schema';
import { AnonymousCountsRepository, AnonymousMetric } from './anonymous-counts.repository';
import type { Contact } from '../contacts/contact';
import type { ContactEvent, ContactEventContext, ContactEventOf, ContactEventOutcome } from '../conversations/contact-event';
import { OnContactEvent } from '../conversations/contact-event.registry';
import type { InboundMessage } from '../conversations/inbound-message';
import { ConsentService } from './consent.service';
import { forgetContext, type ForgetJobData } from './privacy-jobs';
import { PrivacyQueue } from './privacy.queue';
import { PRIVACY_SETTINGS, type PrivacySettings } from './privacy.settings';

/**
 * Her erasure, beyond her rows (which the shell deletes right after, cascading to her requests and
 * outbound records): the provider ids are read while they still exist and handed to a delayed job that
 * asks her channel's providers to forget; the erasure is counted and audited with no id that leads to her.
 */
@Injectable()
export class ErasureService {
  private readonly log = new Logger(ErasureService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(PrivacyQueue) private readonly queue: PrivacyQueue,
    @Inject(PRIVACY_SETTINGS) private readonly settings: PrivacySettings,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ConsentService) private readonly consent: ConsentService,
    @Optional() @Inject(CallbackRequestsRepository) private readonly requests?: CallbackRequestsRepository,
  ) {}

  @OnContactEvent('consent_withdrawn')
  async consentWithdrawn(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    return { contact: await this.consent.withdraw(contact) };
  }

  @OnContactEvent('proactive_changed')
  async proactiveChanged(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    await this.consent.setProactive(contact.id, (event as ContactEventOf<'proactive_changed'>).allow);
    return {};
  }

  /** Runs after the callback module forgot her jobs (order 10) and before the shell deletes her rows. */
  @OnContactEvent('erase_requested', { phase: 'before', order: 20 })
  async beforeErase(_event: ContactEvent, { contact, msg }: ContactEventContext): Promise<ContactEventOutcome> {
    if (msg) await this.forgetAtProviders(contact, msg);
    return {};
  }

  private async forgetAtProviders(contact: Contact, msg: InboundMessage): Promise<void> {
    const now = new Date(this.clock.now());
    try {
      const jobId = `forget-${randomUUID()}`;
      const data: ForgetJobData = {
        channel: contact.channel,
        addressEnc: this.cipher.encrypt(msg.address, forgetContext(jobId)).token,
        sent: await this.sentRecords(contact.id),
        dedupId: msg.providerMessageId,
        requestIds: this.requests ? (await this.requests.listByContact(contact.id)).map((r) => r.id) : [],
      };
      await this.queue.scheduleForget(jobId, data, this.settings.forgetDelayMs);
    } catch (err) {
      this.log.warn(`provider clean-up not scheduled: ${err instanceof Error ? err.name : 'error'}`);
    }
    await this.record(contact.id, contact.channel, now).catch((err: Error) => this.log.warn(`erasure not counted: ${err.name}`));
  }

  /** Every message Sira sent her, with who sent it: each provider's forgetter picks its own. */
  private async sentRecords(contactId: string): Promise<SentRecord[]> {
    const rows = await this.db
      .select({ provider: outboundMessages.provider, line: outboundMessages.line, providerId: outboundMessages.providerId, sentAt: outboundMessages.sentAt })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.contactId, contactId), isNotNull(outboundMessages.providerId)));
    return rows.map((r) => ({ provider: r.provider, line: r.line, providerId: r.providerId!, sentAt: r.sentAt ? r.sentAt.getTime() : null }));
  }

  /** Counts that stay, and the audit line "an erasure happened" — no contact id, no number. */
  private async record(contactId: string, channel: string, now: Date): Promise<void> {
    const requests = this.requests ? (await this.requests.listByContact(contactId)).length : 0;
    await this.counts.add(AnonymousMetric.ContactsErased, channel, now);
    await this.counts.add(AnonymousMetric.CallbackRequestsErased, channel, now, requests);
    await this.db.insert(staffAuditLog).values({ at: now, staffId: null, action: 'contact_erased', requestId: null, detail: { channel, callbackRequests: requests } });
  }
}

