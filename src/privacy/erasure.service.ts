import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { and, eq, isNotNull } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { CallbackRequestsRepository } from '../callbacks/callback-requests.repository';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { outboundMessages } from '../outbound/outbound-messages.schema';
import { staffAuditLog } from '../staff/staff.schema';
import { AnonymousCountsRepository, AnonymousMetric } from './anonymous-counts.repository';
import type { Contact } from '../contacts/contact';
import type { EngineEvent } from '../engine/engine.types';
import { ConsentService } from './consent.service';
import type { ErasureContext, ErasureHook } from './erasure.hook';
import { forgetContext, type ForgetJobData } from './privacy-jobs';
import { PrivacyQueue } from './privacy.queue';
import { PRIVACY_SETTINGS, type PrivacySettings } from './privacy.settings';

/**
 * Her erasure, beyond her rows (which the shell deletes right after, cascading to her requests and
 * outbound records): the provider ids are read while they still exist and handed to a delayed job that
 * asks Twilio / Telegram to forget; the erasure is counted and audited with no id that leads to her.
 */
@Injectable()
export class ErasureService implements ErasureHook {
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

  /** Consent withdrawn, proactive messages on or off (the shell's other events are not ours). */
  async apply(event: EngineEvent, { contact }: ErasureContext): Promise<Contact | undefined> {
    if (event.type === 'consent_withdrawn') return this.consent.withdraw(contact);
    if (event.type === 'proactive_changed') await this.consent.setProactive(contact.id, event.allow);
    return undefined;
  }

  async beforeErase({ contact, msg }: ErasureContext): Promise<void> {
    const now = new Date(this.clock.now());
    try {
      const jobId = `forget-${randomUUID()}`;
      const data: ForgetJobData = {
        channel: contact.channel,
        addressEnc: this.cipher.encrypt(msg.address, forgetContext(jobId)).token,
        ...(await this.providerIds(contact.id, now)),
        dedupId: msg.providerMessageId,
        requestIds: this.requests ? (await this.requests.listByContact(contact.id)).map((r) => r.id) : [],
      };
      await this.queue.scheduleForget(jobId, data, this.settings.forgetDelayMs);
    } catch (err) {
      this.log.warn(`provider clean-up not scheduled: ${err instanceof Error ? err.name : 'error'}`);
    }
    await this.record(contact.id, contact.channel, now).catch((err: Error) => this.log.warn(`erasure not counted: ${err.name}`));
  }

  /** SMS: every SID Sira sent her; Telegram: the bot's message ids still inside the deletion window. */
  private async providerIds(contactId: string, now: Date): Promise<Pick<ForgetJobData, 'smsSids' | 'telegramMessageIds'>> {
    const since = new Date(now.getTime() - this.settings.telegramDeleteWindowMs);
    const rows = await this.db
      .select({ channel: outboundMessages.channel, providerId: outboundMessages.providerId, sentAt: outboundMessages.sentAt })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.contactId, contactId), isNotNull(outboundMessages.providerId)));
    const smsSids = rows.filter((r) => r.channel === 'sms').map((r) => r.providerId!);
    const telegramMessageIds = rows
      .filter((r) => r.channel === 'telegram' && (!r.sentAt || r.sentAt >= since))
      .map((r) => Number(r.providerId))
      .filter((n) => Number.isSafeInteger(n) && n > 0);
    return { smsSids, telegramMessageIds };
  }

  /** Counts that stay, and the audit line "an erasure happened" — no contact id, no number. */
  private async record(contactId: string, channel: string, now: Date): Promise<void> {
    const requests = this.requests ? (await this.requests.listByContact(contactId)).length : 0;
    await this.counts.add(AnonymousMetric.ContactsErased, channel, now);
    await this.counts.add(AnonymousMetric.CallbackRequestsErased, channel, now, requests);
    await this.db.insert(staffAuditLog).values({ at: now, staffId: null, action: 'contact_erased', requestId: null, detail: { channel, callbackRequests: requests } });
  }
}

