import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { smsCost } from '../src/common/sms-segments';
import { applySmsSpelling } from '../src/common/sms-spelling';
import { loadContent } from '../src/content/content.loader';
import { createTranslator } from '../src/content/i18n';
import { parseScript, playTranscript } from '../test/transcripts/transcript.runner';
import { fmt, type Figure } from './bench-table';

const ROOT = join(__dirname, '..');

/**
 * The whole reparations conversation of the golden transcript (every answer, then the callback
 * offer), played through the engine: segments of every SMS as sent (SMS spelling on) against the
 * same texts unfolded. Bambara's ɛ ɔ ɲ ŋ force UCS-2 (70 characters a segment instead of 160).
 */
export function smsCostFigures(): Figure[] {
  const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
  const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
  return (['bm', 'fr'] as const).map((language) => {
    const script = parseScript(readFileSync(join(ROOT, 'test', 'transcripts', `${language}-reparations.sms.txt`), 'utf8'));
    const { messages } = playTranscript(script, content.flowSet, translator, 'sms');
    const unfolded = messages.reduce((n, text) => n + smsCost(text).segments, 0);
    const sent = messages.reduce((n, text) => n + smsCost(applySmsSpelling(text, language, ['bm', 'fr'])).segments, 0);
    const ratio = sent / unfolded;
    return {
      name: `SMS segments, full ${language === 'bm' ? 'Bambara' : 'French'} reparations conversation (${messages.length} SMS)`,
      ours: fmt(sent),
      baseline: fmt(unfolded),
      ratio,
      target: language === 'bm' ? '≤ 0.45×' : '≤ 1× (no target)',
      met: language === 'bm' ? ratio <= 0.45 : ratio <= 1,
    };
  });
}
