import { Inject, Injectable } from '@nestjs/common';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { ContactEvent, ContactEventContext, ContactEventOutcome } from './contact-event';
import { OnContactEvent } from './contact-event.registry';
import { SessionStore } from './session.store';

/**
 * The owner of her erasure: her rows (and by cascade everything that points at her) and her session go.
 * The modules that keep copies elsewhere (queued jobs, provider messages) forget them first, as
 * `before` handlers. It lives in the shell because the session is the shell's: no slice of the
 * application can erase a contact and leave her session behind.
 */
@Injectable()
export class ErasureHandler {
  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(SessionStore) private readonly sessions: SessionStore,
  ) {}

  @OnContactEvent('erase_requested')
  async erase(_event: ContactEvent, { contact, blindIndex }: ContactEventContext): Promise<ContactEventOutcome> {
    await this.contacts.erase(contact.id);
    await this.sessions.delete(blindIndex);
    return { contact: null };
  }
}
