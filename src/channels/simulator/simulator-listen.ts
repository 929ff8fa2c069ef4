import { Inject, Injectable } from '@nestjs/common';
import { TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { Output } from '../../engine/engine.types';
import type { RenderedMessage } from '../../outbound/outbound.types';
import { ListenVoices } from '../listen-voices';
import { telegramVoice, VOICE_MESSAGES_FACT } from '../telegram/telegram-listen';
import { WHATSAPP_VOICE_FACT, whatsappVoice } from '../whatsapp/whatsapp-audio';
import type { SimulatorRendering } from './simulator.renderer';

/**
 * Listen mode in the simulator, as on Telegram and WhatsApp: the page's Telegram and WhatsApp phones
 * (identities `sim-telegram-…`, `sim-whatsapp-…`) report the facts their channel reports, so the flow
 * offers listen mode there and never on the SMS phone; once she chose it, each reply is preceded by one
 * simulator message holding its voice messages (Telegram voice, WhatsApp audio), chosen and joined by
 * the code the channels share (ListenVoices), played by the page from /audio/<sha>.ogg.
 */
@Injectable()
@TakesPartInTurns()
export class SimulatorListen implements TurnParticipant {
  constructor(@Inject(ListenVoices) private readonly voices: ListenVoices) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    if (msg.channel !== 'simulator') return {};
    if (msg.address.startsWith('sim-telegram-')) return { [VOICE_MESSAGES_FACT]: 'yes' };
    if (msg.address.startsWith('sim-whatsapp-')) return { [VOICE_MESSAGES_FACT]: 'yes', [WHATSAPP_VOICE_FACT]: 'yes' };
    return {};
  }

  async spoken(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<SimulatorRendering>[]> {
    if (!(await this.voices.listening(contactId))) return [];
    // each phone says what its channel would: the wording (and so the recording) may differ per channel
    const telegram = (await this.voices.voices(outputs, language, 'telegram')).map(telegramVoice);
    const whatsapp = (await this.voices.voices(outputs, language, 'whatsapp')).map(whatsappVoice);
    if (telegram.length === 0 && whatsapp.length === 0) return [];
    return [{ message: { sms: [], telegram, whatsapp } }];
  }
}
