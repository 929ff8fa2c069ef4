import type { ContactsRepository } from '../contacts/contacts.repository';
import type { Translator } from '../content/translator.provider';
import type { Output } from '../engine/engine.types';
import type { PlayableAudio, RecordingsService } from '../recordings/recordings.service';
import { ListenVoices } from './listen-voices';

const voice = (c: string) => `/audio/${c.repeat(64)}.ogg`;
const audio = (c: string): PlayableAudio => ({ phonePath: `/audio/${c.repeat(64)}.mp3`, voicePath: voice(c), durationMs: 1500 });

/** English: the SMS question recorded as SMS says it; its WhatsApp wording exists as text only. */
const catalogue = new Map([
  ['en|callback:sms.prompt', audio('a')],
  ['en|callback:sms.yes', audio('b')],
  ['en|voice:press.2', audio('c')],
]);
const question: Output = { text: 'callback:sms.prompt', question: 3, choices: [{ id: 'no', label: 'callback:sms.no' }, { id: 'yes', label: 'callback:sms.yes' }] };

function listen(options: { listening?: boolean; join?: (parts: readonly PlayableAudio[]) => Promise<string> } = {}) {
  const joined: string[][] = [];
  const recordings = {
    playableCatalogue: async () => catalogue,
    voiceMessage: async (parts: readonly PlayableAudio[]) => {
      joined.push(parts.map((p) => p.voicePath));
      return options.join ? options.join(parts) : parts.length === 1 ? parts[0]!.voicePath : voice('j');
    },
  } as unknown as RecordingsService;
  const contacts = { findById: async () => ({ id: 'c1', listenMode: options.listening ?? true }) } as unknown as ContactsRepository;
  const translator = { has: (lng: string, key: string) => lng === 'en' && key === 'callback:sms.prompt_whatsapp' } as unknown as Translator;
  return { voices: new ListenVoices(contacts, recordings, translator), joined };
}

describe('listen mode voice messages, shared by the chat channels', () => {
  it('joins what a reply says into one voice message: the question, then each recorded label and its number', async () => {
    const { voices, joined } = listen();
    await expect(voices.voicesFor([question], 'en', 'c1', 'telegram')).resolves.toEqual([voice('j')]);
    expect(joined).toEqual([[voice('a'), voice('b'), voice('c')]]);
  });

  it("on WhatsApp, where she reads the question's WhatsApp wording, does not play the SMS wording's recording", async () => {
    const { voices, joined } = listen();
    // only the label "Yes" and its number: the recording of the SMS question says "SMS"
    await expect(voices.voicesFor([question], 'en', 'c1', 'whatsapp')).resolves.toEqual([voice('j')]);
    expect(joined).toEqual([[voice('b'), voice('c')]]);
  });

  it('sends each recording as its own voice message when they cannot be joined', async () => {
    const { voices } = listen({ join: async () => Promise.reject(new Error('ffmpeg')) });
    await expect(voices.voicesFor([question], 'en', 'c1', 'telegram')).resolves.toEqual([voice('a'), voice('b'), voice('c')]);
  });

  it('says nothing to someone who reads, nor without a contact, nor where her language has no recording', async () => {
    await expect(listen({ listening: false }).voices.voicesFor([question], 'en', 'c1', 'telegram')).resolves.toEqual([]);
    await expect(listen().voices.voicesFor([question], 'en', null, 'telegram')).resolves.toEqual([]);
    await expect(listen().voices.voicesFor([question], 'fr', 'c1', 'telegram')).resolves.toEqual([]);
  });
});
