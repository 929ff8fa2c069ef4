import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Contact } from '../contacts/contact';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { EngineEvent } from '../engine/engine.types';
import { CONVERSATION_HOOKS, type ConversationHooks, type Settlement } from './conversation-hooks';
import type { InboundMessage } from './inbound-message';
import { SessionStore } from './session.store';
import { ERASURE_HOOK, type ErasureHook } from '../privacy/erasure.hook';

export interface AppliedEvents {
  /** the contact after the events; null once erased. */
  contact: Contact | null;
  optedOutNow: boolean;
  erased: boolean;
  /** per event index: how the outputs awaiting that event are said (see conversation-hooks.ts). */
  settled: Map<number, Settlement | undefined>;
}

/**
 * Turns the engine's events into durable facts, in the order the engine emitted them. Once she is
 * erased, later events of the same step are ignored: nothing may recreate what she asked to delete.
 */
@Injectable()
export class ContactEventsApplier {
  private readonly log = new Logger(ContactEventsApplier.name);

  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(SessionStore) private readonly sessions: SessionStore,
    @Optional() @Inject(CONVERSATION_HOOKS) private readonly hooks?: ConversationHooks,
    @Optional() @Inject(ERASURE_HOOK) private readonly erasure?: ErasureHook,
  ) {}

  /** `msg`: the message being answered (the modules beside the shell need her address). */
  async apply(start: Contact, blindIndex: string, events: EngineEvent[], msg?: InboundMessage): Promise<AppliedEvents> {
    let contact: Contact | null = start;
    let optedOutNow = false;
    const settled = new Map<number, Settlement | undefined>();
    for (const [i, event] of events.entries()) {
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
          // modules beside the shell forget first (e.g. queued callback jobs), while her rows still exist
          if (this.hooks && msg) await this.hooks.apply(event, { contact, msg });
          // the privacy module reads provider ids and asks the providers to forget (src/privacy)
          if (this.erasure && msg) await this.erasure.beforeErase({ contact, msg, blindIndex });
          await this.contacts.erase(contact.id);
          await this.sessions.delete(blindIndex);
          contact = null;
          break;
        case 'callback_requested':
        case 'callback_changed':
          // her answers go to the callback module only; they never reach a log line
          if (this.hooks && msg) settled.set(i, await this.hooks.apply(event, { contact, msg }));
          else this.log.warn('callback requested but no callback module is loaded; nothing stored');
          break;
        case 'consent_withdrawn':
        case 'proactive_changed':
          // the privacy module's events (src/privacy): without it, nothing is recorded
          if (this.erasure?.apply && msg) contact = (await this.erasure.apply(event, { contact, msg, blindIndex })) ?? contact;
          break;
        default:
          // conversation_expired / conversation_restarted: nothing durable to record. consent_given
          // neither: her consent travels with the request it covers and is stored with it (callbacks).
          break;
      }
    }
    return { contact, optedOutNow, erased: contact === null, settled };
  }
}
