import { Inject, Injectable } from '@nestjs/common';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { TakesPartInTurns, type TurnParticipant } from '../../conversations/contact-event.registry';
import type { TurnContext } from '../../conversations/conversation-hooks';
import type { Output } from '../../engine/engine.types';
import type { RenderedMessage } from '../../outbound/outbound.types';
import { RecordingsService, type PlayableAudio } from '../../recordings/recordings.service';
import type { TelegramMessage } from '../render.types';

/** The fact that offers listen mode (flows/voice_messages.yaml, the language menu, the safety advice). */
export const VOICE_MESSAGES_FACT = 'voice_messages';

/**
 * Listen mode on Telegram (issue 25; WhatsApp has its own, whatsapp-audio.ts): the chat can carry voice messages, so the flow may offer it;
 * once she chose it (contacts.listen_mode, set only by her word or menu choice), each reply is preceded
 * by the recorded prompt of each of its texts, in her language only, at the gate status (the playable
 * catalogue). A text without such a recording goes as text alone: never another language's voice.
 */
@Injectable()
@TakesPartInTurns()
export class TelegramListen implements TurnParticipant {
  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
  ) {}

  async facts({ msg }: TurnContext): Promise<Record<string, string>> {
    return msg.channel === 'telegram' ? { [VOICE_MESSAGES_FACT]: 'yes' } : {};
  }

  async spoken(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<TelegramMessage>[]> {
    if (!contactId) return [];
    const contact = await this.contacts.findById(contactId);
    if (!contact?.listenMode) return [];
    return voiceMessagesOf(outputs, language, await this.recordings.playableCatalogue()).map((message) => ({ message }));
  }
}

/**
 * One voice message per output whose text key has a playable recording in `language` (the chat's plain
 * key: a phone wording says "press", never what she sees). A text with a variable part is never recorded
 * whole (RecordingsService.store refuses it), so a catalogue hit always says the text as shown.
 */
export function voiceMessagesOf(outputs: Output[], language: string, catalogue: ReadonlyMap<string, PlayableAudio>): TelegramMessage[] {
  const out: TelegramMessage[] = [];
  for (const output of outputs) {
    const audio = catalogue.get(`${language}|${output.text}`);
    if (audio) out.push({ text: '', buttons: [], voice: audio.voicePath });
  }
  return out;
}
