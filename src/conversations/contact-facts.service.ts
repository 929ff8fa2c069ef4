import { Inject, Injectable } from '@nestjs/common';
import type { Contact } from '../contacts/contact';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { ChannelName } from '../common/channel-name';
import type { ChannelFact } from './contact-event';
import { ContactEventsApplier } from './contact-events.applier';
import { ContactLock } from './contact.lock';

/**
 * How channels, the staff side and schedulers submit what they learn about a contact outside a turn
 * (a block, a carrier opt-out, a refused send): applied through the same handlers as a turn's events,
 * under her contact lock, so it cannot interleave with a turn that is changing her at the same moment.
 */
@Injectable()
export class ContactFacts {
  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(ContactLock) private readonly lock: ContactLock,
    @Inject(ContactEventsApplier) private readonly applier: ContactEventsApplier,
  ) {}

  /** The contact after the fact; undefined when there is no such contact (nothing is created for a fact). */
  async submit(contactId: string, fact: ChannelFact): Promise<Contact | undefined> {
    const known = await this.contacts.findById(contactId);
    return known ? this.applyLocked(known, fact) : undefined;
  }

  async submitByAddress(channel: ChannelName, address: string, fact: ChannelFact): Promise<Contact | undefined> {
    const known = await this.contacts.findByAddress(channel, address);
    return known ? this.applyLocked(known, fact) : undefined;
  }

  private applyLocked(known: Contact, fact: ChannelFact): Promise<Contact | undefined> {
    return this.lock.withLock(known.addressIndex, async () => {
      // read again under the lock: a turn may have changed (or erased) her while we waited
      const contact = await this.contacts.findById(known.id);
      if (!contact) return undefined;
      return (await this.applier.apply(contact, contact.addressIndex, [fact])).contact ?? undefined;
    });
  }
}
