import type { Output, SmsText, Translate } from '../render.types';
import { smsCost, type SmsEncoding } from '../../common/sms-segments';
import { applySmsSpelling, DEFAULT_SMS_SPELLING } from '../../common/sms-spelling';

/**
 * One SMS per engine output: the translated text, then one line per choice ("1 Label").
 * Numbers start at 1 because the engine reads "1" as the first choice; nothing else is added,
 * so that what the content check measures is exactly what is sent.
 */
export function renderSms(outputs: readonly Output[], t: Translate, spell: Speller = (text) => text): SmsText[] {
  return outputs.map((output) => {
    const text = spell(t(output.text, output.params), output.text);
    const lines = (output.choices ?? []).map((choice, i) => `${i + 1} ${spell(t(choice.label), choice.label)}`);
    return lines.length === 0 ? text : `${text}\n${lines.join('\n')}`;
  });
}

/** Spells one translated text for SMS, knowing the key it came from. */
type Speller = (text: string, key: string) => string;

/** One SMS as it will be sent: the text after the SMS spelling, and what it costs. */
export interface SmsRendering {
  text: SmsText;
  encoding: SmsEncoding;
  segments: number;
}

export interface SmsRenderOptions {
  /** her language: selects the spelling map of the texts she has in it. */
  language: string;
  /**
   * the language each text really came from (`Translator.sourceOf`): a text that falls back to French
   * is spelled the French way, so it stays GSM-7 even when her language has no map (ff, ses, taq).
   * Without it every text is spelled as her language.
   */
  sourceOf?: (language: string, key: string) => string;
  /** languages whose SMS spelling map is on (config.sms.spelling; default bm and fr). */
  spelling?: readonly string[];
}

/** `renderSms`, then the per-language SMS spelling, then the encoding and segment count of each SMS. */
export function renderSmsMessages(outputs: readonly Output[], t: Translate, options: SmsRenderOptions): SmsRendering[] {
  const spelling = options.spelling ?? DEFAULT_SMS_SPELLING;
  const source = options.sourceOf ?? ((language: string) => language);
  const spell: Speller = (text, key) => applySmsSpelling(text, source(options.language, key), spelling);
  return renderSms(outputs, t, spell).map((text) => {
    const { encoding, segments } = smsCost(text);
    return { text, encoding, segments };
  });
}
