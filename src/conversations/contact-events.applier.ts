import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Contact } from '../contacts/contact';
import type { ContactEvent } from './contact-event';
import { ContactEventRegistry } from './contact-event.registry';
import type { Settlement } from './conversation-hooks';
import type { InboundMessage } from './inbound-message';

export interface AppliedEvents {
  /** the contact after the events; null once erased. */
  contact: Contact | null;
  optedOutNow: boolean;
  erased: boolean;
  /** per event index: how the outputs awaiting that event are said (see conversation-hooks.ts). */
  settled: Map<number, Settlement | undefined>;
}

/**
 * The one path by which a contact's state changes: each event (the engine's, or a channel's fact) goes
 * to the handlers its owning module declared (`@OnContactEvent`), in the order emitted, while the
 * caller holds her contact lock. Once she is erased, later events are ignored: nothing may recreate
 * what she asked to delete.
 */
@Injectable()
export class ContactEventsApplier {
  private readonly log = new Logger(ContactEventsApplier.name);

  constructor(@Inject(ContactEventRegistry) private readonly registry: ContactEventRegistry) {}

  /** `msg`: the message being answered (handlers beside the shell need her address); absent for channel facts. */
  async apply(start: Contact, blindIndex: string, events: readonly ContactEvent[], msg?: InboundMessage): Promise<AppliedEvents> {
    let contact: Contact | null = start;
    let optedOutNow = false;
    const settled = new Map<number, Settlement | undefined>();
    for (const [i, event] of events.entries()) {
      if (!contact) break;
      const handlers = this.registry.handlersFor(event.type);
      if (!handlers.some((h) => h.phase === 'owner')) this.log.debug(`no module owns ${event.type} here; nothing recorded`);
      for (const handler of handlers) {
        const outcome = await handler.run(event, { contact, blindIndex, msg });
        if (outcome?.contact !== undefined) contact = outcome.contact;
        if (outcome && 'settlement' in outcome) settled.set(i, outcome.settlement);
        if (!contact) break;
      }
      if (event.type === 'opted_out') optedOutNow = true;
    }
    return { contact, optedOutNow, erased: contact === null, settled };
  }
}
