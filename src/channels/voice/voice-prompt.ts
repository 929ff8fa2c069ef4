/**
 * What she hears for one turn, provider-neutral: the engine's outputs as pieces of audio (a reviewed
 * recording of the text in her language) or, where none exists, a text read by the provider's voice in
 * a language it may read (VOICE_TTS_LANGUAGES, French by default) — never another language's text read
 * by a French voice. Each choice is its label plus the "press N" clip; N is the number the SMS menu
 * shows. Pure: the recordings and texts come in as functions.
 */
import type { Output } from '../../engine/engine.types';
import { heardKey } from '../../recordings/essential-keys';
import type { Translate } from '../render.types';

/** `text`: what a recording says (the text it was made from), for screens like the simulator's; never sent to the provider. */
export type VoicePiece = { play: string; text?: string } | { say: string; language: string };

/** `key`: one key press; `number`: digits ended by `#`; `none`: the call ends after the pieces. */
export type VoiceListen = 'key' | 'number' | 'none';

export interface VoicePrompt {
  pieces: VoicePiece[];
  listen: VoiceListen;
}

export interface VoiceSpeech {
  base: string;
  /** languages the provider's voice may read (their own texts only). */
  tts: readonly string[];
  /** the URL of a playable recording (not stale, at the gate), or undefined. */
  audio(language: string, key: string): string | undefined;
  t(language: string): Translate;
  /** the language has a text of its own for the key. */
  has(language: string, key: string): boolean;
  /** the language may be offered by voice: its essential recordings are playable (the base always is). */
  offered(language: string): boolean;
}

const LANGUAGE_MENU = 'language:prompt';
const LANGUAGE_LABEL = /^language:name\.(.+)$/;

/** Provider voice tags for the languages it may read. */
const TTS_TAGS: Record<string, string> = { fr: 'fr-FR', en: 'en-GB' };

/** The phone's wording of a text (`voice:texts.<ns>.<path>`) where there is one: see heardKey. */
export function voiceKey(key: string, speech: Pick<VoiceSpeech, 'has' | 'base'>, language: string): string {
  return heardKey(key, language, speech);
}

/** The pieces of one text in `language`, falling back to the base language's recording or voice. */
export function piecesOf(speech: VoiceSpeech, language: string, rawKey: string, params?: Record<string, string | number>): VoicePiece[] {
  for (const lng of language === speech.base ? [language] : [language, speech.base]) {
    const key = voiceKey(rawKey, speech, lng);
    // a text with a variable part is never recorded whole: read aloud, or nothing (a voice wording
    // without the variable, such as the spoken consent notice, is recorded like any other text)
    const variable = !!params && Object.keys(params).length > 0 && speech.t(lng)(key, params) !== speech.t(lng)(key);
    const recorded = variable ? undefined : speech.audio(lng, key);
    if (recorded) return [{ play: recorded, text: speech.t(lng)(key) }];
    if (speech.tts.includes(lng) && TTS_TAGS[lng] && (lng === speech.base || speech.has(lng, key))) {
      return [{ say: speech.t(lng)(key, params), language: TTS_TAGS[lng] }];
    }
  }
  return [];
}

/** The turn's outputs as one prompt; a turn that asks nothing ends the call with a goodbye. */
export function voicePrompt(speech: VoiceSpeech, language: string, outputs: Output[], opening: VoicePiece[] = []): VoicePrompt {
  const pieces = [...opening];
  let listen: VoiceListen = 'none';
  for (const output of outputs) {
    pieces.push(...piecesOf(speech, language, output.text, output.params));
    output.choices?.forEach((choice, i) => {
      // the language menu says only languages that can be heard; each keeps its SMS number
      const named = output.text === LANGUAGE_MENU ? LANGUAGE_LABEL.exec(choice.label)?.[1] : undefined;
      if (named && named !== speech.base && !speech.offered(named)) return;
      pieces.push(...piecesOf(speech, language, choice.label), ...piecesOf(speech, language, `voice:press.${i + 1}`));
    });
    if (output.question !== undefined) listen = output.choices ? 'key' : 'number';
  }
  if (listen === 'none') pieces.push(...piecesOf(speech, language, 'voice:goodbye'));
  return { pieces, listen };
}

/** What a stuck store gets: a short apology, then the call ends (never silence). */
export function apologyPrompt(speech: VoiceSpeech, language: string): VoicePrompt {
  return { pieces: piecesOf(speech, language, 'voice:apology'), listen: 'none' };
}
