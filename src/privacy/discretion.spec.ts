import { join } from 'node:path';
import { loadContent } from '../content/content.loader';
import { fold, proactiveTexts, sensitiveWordsIn } from './discretion';

const root = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') });

describe('discretion of proactive texts', () => {
  const texts = proactiveTexts(content.resources);

  it('covers the confirmation, every status line and the staff notices, in French, Bambara and English', () => {
    for (const lang of ['fr', 'bm', 'en']) {
      expect(texts.has(`${lang} callback:registered`)).toBe(true);
      expect(texts.has(`${lang} callback:status.no_answer`)).toBe(true);
      expect(texts.has(`${lang} callback:status.unreachable`)).toBe(true);
    }
    expect([...texts.keys()].some((k) => k.includes('callback:staff.'))).toBe(true);
  });

  it('never mention the commission, testimony, violence or reparations, in any language', () => {
    const offending = [...texts].map(([key, text]) => [key, sensitiveWordsIn(text.replace(/\{\{code\}\}/g, 'K7M2QX'))] as const).filter(([, w]) => w.length > 0);
    expect(offending).toEqual([]);
  });

  it('would catch the topic words of the shipped menus (the check can fail)', () => {
    for (const [lang, key] of [['fr', 'testimony'], ['fr', 'reparations'], ['bm', 'testimony'], ['bm', 'reparations'], ['en', 'testimony'], ['en', 'reparations']] as const) {
      const label = (content.resources[lang]!.menu as Record<string, string>)[key]!;
      expect(sensitiveWordsIn(`Demande K7M2QX : ${label}`)).not.toEqual([]);
    }
    expect(sensitiveWordsIn('Votre témoignage à la CVJR')).toEqual(expect.arrayContaining(['cvjr', 'temoign']));
    expect(sensitiveWordsIn('Violences sexuelles')).toEqual(expect.arrayContaining(['violence', 'sexuel']));
  });

  it('folds accents and Bambara letters so spelling variants are caught', () => {
    expect(fold('Bɔnɛ')).toContain('bone');
    expect(fold('Réparations')).toContain('reparations');
  });
});
