import { Inject, Injectable } from '@nestjs/common';
import { TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { Output } from '../../engine/engine.types';
import type { RenderedMessage } from '../../outbound/outbound.types';
import { ListenVoices } from '../listen-voices';
import type { TelegramMessage } from '../render.types';

/** The fact that offers listen mode (flows/voice_messages.yaml, the language menu, the safety advice). */
export const VOICE_MESSAGES_FACT = 'voice_messages';

/**
 * Listen mode on Telegram (issue 25): the chat can carry voice messages, so the flow may offer it; once
 * she chose it, each reply is preceded by its recordings as Telegram voice messages, chosen and joined by
 * the code every chat channel shares (ListenVoices, src/recordings/listen-prompts.ts); a text without a
 * recording in her language at the gate status goes as text alone, never in another language's voice.
 */
@Injectable()
@TakesPartInTurns()
export class TelegramListen implements TurnParticipant {
  constructor(@Inject(ListenVoices) private readonly voices: ListenVoices) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    return msg.channel === 'telegram' ? { [VOICE_MESSAGES_FACT]: 'yes' } : {};
  }

  async spoken(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<TelegramMessage>[]> {
    return (await this.voices.voicesFor(outputs, language, contactId, 'telegram')).map((voice) => ({ message: telegramVoice(voice) }));
  }
}

/** A Telegram voice message of the OGG/Opus audio at `voice` (no text, no buttons: the reply's texts follow). */
export function telegramVoice(voice: string): TelegramMessage {
  return { text: '', buttons: [], voice };
}
