import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { CallbackRequestsRepository } from '../callbacks/callback-requests.repository';
import { CallbackScheduler } from '../callbacks/callback.scheduler';
import { callbackRequests } from '../callbacks/callbacks.schema';
import { CLOCK, type Clock } from '../common/clock';
import type { Contact } from '../contacts/contact';
import { ContactsRepository } from '../contacts/contacts.repository';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { AnonymousCountsRepository, AnonymousMetric } from './anonymous-counts.repository';
import type { ProactivePolicy } from './erasure.hook';
import { contactPreferences } from './privacy.schema';

/**
 * Consent and her choice about proactive messages. Withdrawing consent deletes what the consent
 * covered — her stored number and her callback requests (jobs first, then rows, counted anonymously);
 * her language, opt-out and everything Sira explains stay available.
 */
@Injectable()
export class ConsentService implements ProactivePolicy {
  private readonly log = new Logger(ConsentService.name);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(CallbackRequestsRepository) private readonly requests?: CallbackRequestsRepository,
    @Optional() @Inject(CallbackScheduler) private readonly scheduler?: CallbackScheduler,
  ) {}

  async withdraw(contact: Contact): Promise<Contact> {
    const requests = this.requests ? await this.requests.listByContact(contact.id) : [];
    for (const req of requests) await this.scheduler?.forget(req).catch((err: Error) => this.log.warn(`callback jobs not removed: ${err.name}`));
    if (requests.length) await this.db.delete(callbackRequests).where(eq(callbackRequests.contactId, contact.id));
    const now = new Date(this.clock.now());
    await this.counts.add(AnonymousMetric.ConsentWithdrawn, contact.channel, now);
    await this.counts.add(AnonymousMetric.CallbackRequestsErased, contact.channel, now, requests.length);
    return this.contacts.withdrawConsent(contact.id);
  }

  async setProactive(contactId: string, allowed: boolean): Promise<void> {
    await this.db
      .insert(contactPreferences)
      .values({ contactId, proactiveAllowed: allowed })
      .onConflictDoUpdate({ target: contactPreferences.contactId, set: { proactiveAllowed: allowed, updatedAt: new Date(this.clock.now()) } });
  }

  async allows(contactId: string): Promise<boolean> {
    const [row] = await this.db.select().from(contactPreferences).where(eq(contactPreferences.contactId, contactId));
    return row?.proactiveAllowed ?? true;
  }
}
