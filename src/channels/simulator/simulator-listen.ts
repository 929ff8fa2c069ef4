import { Inject, Injectable } from '@nestjs/common';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { Output } from '../../engine/engine.types';
import type { RenderedMessage } from '../../outbound/outbound.types';
import { RecordingsService } from '../../recordings/recordings.service';
import { VOICE_MESSAGES_FACT, voiceMessagesOf } from '../telegram/telegram-listen';
import { WHATSAPP_VOICE_FACT } from '../whatsapp/whatsapp-audio';
import type { SimulatorRendering } from './simulator.renderer';

/**
 * Listen mode in the simulator, as on Telegram and WhatsApp: the page's Telegram and WhatsApp phones
 * (identities `sim-telegram-…`, `sim-whatsapp-…`) report the facts their channel reports, so the flow
 * offers listen mode there and never on the SMS phone; once she chose it, each reply is preceded by one
 * simulator message holding the recorded prompts (Telegram voice messages, WhatsApp audio messages),
 * chosen by the same code as Telegram's (voiceMessagesOf), played by the page from /audio/<sha>.ogg.
 */
@Injectable()
@TakesPartInTurns()
export class SimulatorListen implements TurnParticipant {
  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
  ) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    if (msg.channel !== 'simulator') return {};
    if (msg.address.startsWith('sim-telegram-')) return { [VOICE_MESSAGES_FACT]: 'yes' };
    if (msg.address.startsWith('sim-whatsapp-')) return { [VOICE_MESSAGES_FACT]: 'yes', [WHATSAPP_VOICE_FACT]: 'yes' };
    return {};
  }

  async spoken(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<SimulatorRendering>[]> {
    if (!contactId) return [];
    const contact = await this.contacts.findById(contactId);
    if (!contact?.listenMode) return [];
    const telegram = voiceMessagesOf(outputs, language, await this.recordings.playableCatalogue());
    if (telegram.length === 0) return [];
    const whatsapp = telegram.map((m) => ({ type: 'audio' as const, text: '' as const, voice: m.voice as string }));
    return [{ message: { sms: [], telegram, whatsapp } }];
  }
}
