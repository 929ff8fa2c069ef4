import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Contact } from '../contacts/contact';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { EngineEvent } from '../engine/engine.types';
import { SessionStore } from './session.store';

export interface AppliedEvents {
  /** the contact after the events; null once erased. */
  contact: Contact | null;
  optedOutNow: boolean;
  erased: boolean;
}

/**
 * Turns the engine's events into durable facts, in the order the engine emitted them. Once she is
 * erased, later events of the same step are ignored: nothing may recreate what she asked to delete.
 */
@Injectable()
export class ContactEventsApplier {
  private readonly log = new Logger(ContactEventsApplier.name);
  /** callback requests seen; the callback module will store them (its own issue). */
  callbackRequests = 0;

  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(SessionStore) private readonly sessions: SessionStore,
  ) {}

  async apply(start: Contact, blindIndex: string, events: EngineEvent[]): Promise<AppliedEvents> {
    let contact: Contact | null = start;
    let optedOutNow = false;
    for (const event of events) {
      if (!contact) break;
      switch (event.type) {
        case 'language_changed':
          if (contact.language !== event.language) contact = await this.contacts.setLanguage(contact.id, event.language);
          break;
        case 'opted_out':
          contact = await this.contacts.setOptedOut(contact.id, true, 'keyword');
          optedOutNow = true;
          break;
        case 'opted_in':
          if (contact.optedOut) contact = await this.contacts.setOptedOut(contact.id, false);
          break;
        case 'erase_requested':
          await this.contacts.erase(contact.id);
          await this.sessions.delete(blindIndex);
          contact = null;
          break;
        case 'callback_requested':
          // nothing personal is recorded yet: the vars (her answers) stay out of logs and storage.
          this.callbackRequests++;
          this.log.log('callback requested (storage arrives with the callback module)');
          break;
        default:
          break; // conversation_expired / conversation_restarted: nothing durable to record.
      }
    }
    return { contact, optedOutNow, erased: contact === null };
  }
}
