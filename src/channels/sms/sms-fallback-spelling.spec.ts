import { join } from 'node:path';
import { loadContent } from '../../content/content.loader';
import { createTranslator } from '../../content/i18n';
import { renderSmsMessages } from './sms.renderer';

const ROOT = join(__dirname, '..', '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });

/** What a Tamasheq / Fulfulde / Songhay speaker receives for a text her language does not have yet. */
function sent(language: string, key: string, labels: string[] = []) {
  const output = { text: key, choices: labels.map((label, i) => ({ id: `c${i}`, label })) };
  return renderSmsMessages([output], translator.t(language), { language, sourceOf: translator.sourceOf })[0];
}

describe('French fallback texts by SMS', () => {
  it.each(['taq', 'ff', 'ses'])('the %s consent notice, still in French, goes out in GSM-7 like the French one', (language) => {
    const french = sent('fr', 'callback:consent.notice');
    const fallback = sent(language, 'callback:consent.notice');
    expect(fallback.text).toBe(french.text);
    expect(fallback).toMatchObject({ encoding: 'GSM-7', segments: french.segments });
    expect(fallback.segments).toBeLessThanOrEqual(2);
  });

  it('the consent question with its French choices stays GSM-7 for a Tamasheq speaker', () => {
    const question = sent('taq', 'callback:consent.prompt', ['callback:consent.yes', 'callback:consent.no']);
    expect(question).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(question.text).toBe("Etes-vous d'accord ?\n1 Oui, d'accord\n2 Non");
  });

  it("keeps a language's own letters in its own texts (a Tamasheq text is not folded the French way)", () => {
    const own = sent('taq', 'language:pending.taq');
    expect(own.text).toContain('ǝ');
    expect(own.encoding).toBe('UCS-2');
  });
});
