import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { CONTENT } from '../../content/content.module';
import type { LoadedContent } from '../../content/content.types';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { ConversationService } from '../../conversations/conversation.service';
import { OutboundRegistry } from '../../conversations/outbound.registry';
import { OutboundMessagesRepository } from '../../outbound/outbound-messages.repository';
import { normaliseWebhook, type WhatsAppEvent } from './whatsapp.normaliser';
import { WhatsAppReachability } from './whatsapp-reachability';
import { WhatsAppWindow } from './whatsapp-window';

/** What she gets after a voice note, a photo or a file: Sira cannot listen to it or open it. */
export const UNREADABLE_HINT_KEY = 'common:cannot_listen';
/** The provider source recorded on a new WhatsApp contact. */
export const WHATSAPP_SOURCE = 'whatsapp';

/**
 * One signed webhook POST: each message is handed to the conversation service (de-duplicated there on
 * Meta's message id: Meta redelivers), each status applied to the outbound record. Replies are queued,
 * never sent here, so Meta gets its 200 quickly.
 */
@Injectable()
export class WhatsAppInboundHandler {
  private readonly log = new Logger(WhatsAppInboundHandler.name);
  private readonly phoneNumberId: string;

  constructor(
    @Inject(ConversationService) private readonly conversations: ConversationService,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(OutboundRegistry) private readonly outbound: OutboundRegistry,
    @Inject(OutboundMessagesRepository) private readonly messages: OutboundMessagesRepository,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'base'>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WhatsAppWindow) private readonly window: WhatsAppWindow,
    @Inject(WhatsAppReachability) private readonly reachability: WhatsAppReachability,
    @Inject(CONFIG) config: Config,
  ) {
    if (!config.whatsapp) throw new Error('WhatsAppInboundHandler needs WHATSAPP_ACCESS_TOKEN');
    this.phoneNumberId = config.whatsapp.phoneNumberId;
  }

  async process(body: unknown): Promise<WhatsAppEvent['kind'][]> {
    const events = normaliseWebhook(body, this.phoneNumberId, this.clock.now());
    for (const event of events) await this.apply(event);
    return events.map((e) => e.kind);
  }

  private async apply(event: WhatsAppEvent): Promise<void> {
    switch (event.kind) {
      case 'input':
        await this.window.open(event.from);
        await this.reachability.heard(event.from);
        await this.conversations.handle({
          channel: 'whatsapp',
          providerMessageId: event.messageId,
          address: event.from,
          input: event.input,
          receivedAt: event.receivedAt,
          source: WHATSAPP_SOURCE,
        });
        break;
      case 'unreadable':
        await this.window.open(event.from);
        await this.reachability.heard(event.from);
        await this.answerUnreadable(event);
        break;
      case 'status': {
        const row = await this.messages.applyReceipt('whatsapp', event.providerId, event.status, event.errorCode ?? null);
        if (row && event.status === 'failed') {
          this.log.warn(`whatsapp message failed after sending (${event.errorCode ?? 'no code'})`);
          await this.reachability.failed(row.contactId, event.errorCode);
        }
        if (row && event.status === 'delivered') await this.reachability.delivered(row.contactId);
        break;
      }
    }
  }

  /**
   * Never downloaded, never stored: she is told Sira cannot listen to it, then gets the current question
   * again; a voice note, when she is not listening yet, gets the offer of listen mode instead (which says
   * Sira cannot listen). The notice's rows are keyed by her message's id (a redelivery queues nothing twice); the
   * question goes through the conversation service like a message, de-duplicated there.
   */
  private async answerUnreadable(event: Extract<WhatsAppEvent, { kind: 'unreadable' }>): Promise<void> {
    const contact = await this.contacts.findOrCreate('whatsapp', event.from, WHATSAPP_SOURCE);
    if (contact.optedOut) return;
    // a voice note, once she chose a language and when she is not listening yet: the offer of listen
    // mode (it says Sira cannot listen); before a language, the notice and the language list as before
    const offer = event.voiceNote === true && !!contact.language && !contact.listenMode;
    if (!offer) await this.outbound.deliver('whatsapp', event.from, contact.language ?? this.content.base, [{ text: UNREADABLE_HINT_KEY }], {
      contactId: contact.id,
      providerMessageId: `${event.messageId}:unreadable`,
    });
    await this.conversations.handle({
      channel: 'whatsapp',
      providerMessageId: event.messageId,
      address: event.from,
      input: offer ? { kind: 'voice_note' } : { kind: 'keypad', key: 'repeat' },
      receivedAt: event.receivedAt,
      source: WHATSAPP_SOURCE,
    });
  }
}
