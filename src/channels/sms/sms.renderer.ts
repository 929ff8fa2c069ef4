import type { Output, SmsText, Translate } from '../render.types';

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
