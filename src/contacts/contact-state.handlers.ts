import { Inject, Injectable } from '@nestjs/common';
import type { ContactEvent, ContactEventContext, ContactEventOf, ContactEventOutcome } from '../conversations/contact-event';
import { OnContactEvent } from '../conversations/contact-event.registry';
import { ContactsRepository } from './contacts.repository';

/**
 * The contacts module's events: her language, whether she listens (voice messages), and whether Sira may write to her (her STOP / START,
 * a bot blocked or unblocked, a carrier opt-out, a provider refusing her for good).
 */
@Injectable()
export class ContactStateHandlers {
  constructor(@Inject(ContactsRepository) private readonly contacts: ContactsRepository) {}

  @OnContactEvent('language_changed')
  async language(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { language } = event as ContactEventOf<'language_changed'>;
    return contact.language === language ? {} : { contact: await this.contacts.setLanguage(contact.id, language) };
  }

  /** Only her own word or menu choice reaches here: Sira never switches listening on by itself. */
  @OnContactEvent('listen_mode_changed')
  async listenMode(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { on } = event as ContactEventOf<'listen_mode_changed'>;
    return contact.listenMode === on ? {} : { contact: await this.contacts.setListenMode(contact.id, on) };
  }

  @OnContactEvent('opted_out')
  async optedOut(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    return { contact: await this.contacts.setOptedOut(contact.id, true, 'keyword') };
  }

  @OnContactEvent('opted_in')
  async optedIn(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    return contact.optedOut ? { contact: await this.contacts.setOptedOut(contact.id, false) } : {};
  }

  /** A block stops her unless she is already stopped (a STOP she sent stays hers, with its source). */
  @OnContactEvent('channel_blocked')
  async blocked(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { source } = event as ContactEventOf<'channel_blocked'>;
    return contact.optedOut ? {} : { contact: await this.contacts.setOptedOut(contact.id, true, source) };
  }

  /** Only the stop that came from this block is lifted: a STOP keyword is lifted by START alone. */
  @OnContactEvent('channel_unblocked')
  async unblocked(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { source } = event as ContactEventOf<'channel_unblocked'>;
    return contact.optedOut && contact.optedOutSource === source ? { contact: await this.contacts.setOptedOut(contact.id, false) } : {};
  }

  @OnContactEvent('carrier_opted_out')
  async carrierOptOut(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    return { contact: await this.contacts.setOptedOut(contact.id, true, 'carrier') };
  }

  @OnContactEvent('send_refused')
  async refused(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { source } = event as ContactEventOf<'send_refused'>;
    return { contact: await this.contacts.setOptedOut(contact.id, true, source) };
  }
}
