import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONTENT } from '../../content/content.module';
import type { LoadedContent } from '../../content/content.types';
import type { Contact } from '../../contacts/contact';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { ContactFacts } from '../../conversations/contact-facts.service';
import { OutboundRegistry } from '../../conversations/outbound.registry';
import { TelegramOnce } from './telegram-once';

/** Why a Telegram contact is stopped when she blocks the bot (a STOP keyword is 'keyword'). */
export const BLOCKED_SOURCE = 'blocked';
/** The short hint sent after a sticker, a photo, a voice note or an edit. */
export const UNSUPPORTED_HINT_KEY = 'common:use_buttons';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What Telegram tells us about a contact outside the conversation itself: she blocked the bot, she
 * came back, she sent something the flows cannot read.
 */
@Injectable()
export class TelegramContacts {
  private readonly log = new Logger(TelegramContacts.name);

  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(ContactFacts) private readonly facts: ContactFacts,
    @Inject(OutboundRegistry) private readonly outbound: OutboundRegistry,
    @Inject(TelegramOnce) private readonly once: TelegramOnce,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'base'>,
  ) {}

  /** She blocked the bot: stopped, so nothing proactive is sent. A STOP she sent earlier stays as it was. */
  async markBlocked(chatId: string): Promise<void> {
    const contact = await this.facts.submitByAddress('telegram', chatId, { type: 'channel_blocked', source: BLOCKED_SOURCE });
    if (contact?.optedOutSource === BLOCKED_SOURCE) this.log.log('telegram contact blocked the bot; stopped');
  }

  /**
   * She wrote again after blocking the bot: writing is consent to an answer, so the block is lifted.
   * A STOP keyword is not lifted here: only START (through the flows) does that.
   */
  async resumeIfBlocked(chatId: string): Promise<Contact | undefined> {
    const contact = await this.contacts.findByAddress('telegram', chatId);
    if (!contact?.optedOut || contact.optedOutSource !== BLOCKED_SOURCE) return contact;
    this.log.log('telegram contact wrote again after a block; resumed');
    return this.facts.submit(contact.id, { type: 'channel_unblocked', source: BLOCKED_SOURCE });
  }

  /**
   * Whether a voice note leads to the offer of listen mode: she chose a language and is not listening
   * yet (else the hint, as for a photo). Never for a stopped contact.
   */
  async offersListen(chatId: string): Promise<boolean> {
    const contact = await this.contacts.findByAddress('telegram', chatId);
    return !!contact && !!contact.language && !contact.listenMode && !contact.optedOut;
  }

  /** The "please use the buttons or type a number" hint, once per update, never to a stopped contact. */
  async sendHint(updateId: number, chatId: string): Promise<void> {
    const marker = `hint:${updateId}`;
    if (!(await this.once.claim(marker, DAY_MS))) return;
    try {
      const known = await this.resumeIfBlocked(chatId);
      const contact = known ?? (await this.contacts.findOrCreate('telegram', chatId, 'telegram'));
      if (contact.optedOut) return;
      await this.outbound.deliver('telegram', chatId, contact.language ?? this.content.base, [{ text: UNSUPPORTED_HINT_KEY }], {
        contactId: contact.id,
        providerMessageId: String(updateId),
      });
    } catch (err) {
      await this.once.forget(marker).catch(() => undefined); // let Telegram's redelivery try again
      throw err;
    }
  }
}
