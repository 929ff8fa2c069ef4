import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContactsRepository } from '../contacts/contacts.repository';
import { TRANSLATOR, type Translator } from '../content/translator.provider';
import type { Output } from '../engine/engine.types';
import { listenPrompts } from '../recordings/listen-prompts';
import { RecordingsService } from '../recordings/recordings.service';

/** The chat wording a channel shows (i18next context `<key>_<channel>`, as its renderer asks for it). */
export type ChatContext = 'telegram' | 'whatsapp';

/**
 * Listen mode's voice messages for every chat channel (Telegram, WhatsApp, the simulator's phones): only
 * for a contact who chose it (contacts.listen_mode, set by her word or menu choice, never by Sira), the
 * reply's recordings chosen by listen-prompts.ts, each group joined into one voice message. The channels
 * turn the paths (`/audio/<sha256>.ogg`) into their own messages, said before the reply's texts.
 */
@Injectable()
export class ListenVoices {
  private readonly log = new Logger(ListenVoices.name);

  constructor(
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(RecordingsService) private readonly recordings: RecordingsService,
    @Inject(TRANSLATOR) private readonly translator: Translator,
  ) {}

  /** Whether her replies are to be said too. */
  async listening(contactId: string | null): Promise<boolean> {
    if (!contactId) return false;
    return (await this.contacts.findById(contactId))?.listenMode === true;
  }

  /** The voice messages said before a reply in her language as `context` shows it; none when she reads. */
  async voicesFor(outputs: Output[], language: string, contactId: string | null, context: ChatContext): Promise<string[]> {
    return (await this.listening(contactId)) ? this.voices(outputs, language, context) : [];
  }

  /** The voice messages of a reply, whoever reads it (call `listening` first). */
  async voices(outputs: Output[], language: string, context: ChatContext): Promise<string[]> {
    const shown = (key: string) => (this.translator.has(language, `${key}_${context}`) ? `${key}_${context}` : key);
    const groups = listenPrompts(outputs, language, await this.recordings.playableCatalogue(), shown);
    const out: string[] = [];
    for (const group of groups) {
      try {
        out.push(await this.recordings.voiceMessage(group));
      } catch (err) {
        // not joined (ffmpeg failed, a take replaced meanwhile): each recording as its own voice message
        this.log.warn(`listen mode: ${group.length} recordings not joined (${err instanceof Error ? err.name : 'error'}), sent one by one`);
        out.push(...group.map((part) => part.voicePath));
      }
    }
    return out;
  }
}
