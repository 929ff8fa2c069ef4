import type { Output, SmsText, Translate } from '../render.types';
import { smsCost, type SmsEncoding } from './sms-segments';
import { applySmsSpelling, DEFAULT_SMS_SPELLING } from './sms-spelling';

/**
 * One SMS per engine output: the translated text, then one line per choice ("1 Label").
 * Numbers start at 1 because the engine reads "1" as the first choice; nothing else is added,
 * so that what the content check measures is exactly what is sent.
 */
export function renderSms(outputs: readonly Output[], t: Translate): SmsText[] {
  return outputs.map((output) => {
    const text = t(output.text, output.params);
    const lines = (output.choices ?? []).map((choice, i) => `${i + 1} ${t(choice.label)}`);
    return lines.length === 0 ? text : `${text}\n${lines.join('\n')}`;
  });
}

/** One SMS as it will be sent: the text after the SMS spelling, and what it costs. */
export interface SmsRendering {
  text: SmsText;
  encoding: SmsEncoding;
  segments: number;
}

export interface SmsRenderOptions {
  /** her language: selects the spelling map. */
  language: string;
  /** languages whose SMS spelling map is on (config.sms.spelling; default bm and fr). */
  spelling?: readonly string[];
}

/** `renderSms`, then the per-language SMS spelling, then the encoding and segment count of each SMS. */
export function renderSmsMessages(outputs: readonly Output[], t: Translate, options: SmsRenderOptions): SmsRendering[] {
  const spelling = options.spelling ?? DEFAULT_SMS_SPELLING;
  return renderSms(outputs, t).map((raw) => {
    const text = applySmsSpelling(raw, options.language, spelling);
    const { encoding, segments } = smsCost(text);
    return { text, encoding, segments };
  });
}
