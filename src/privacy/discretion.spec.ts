import { join } from 'node:path';
import { loadContent } from '../content/content.loader';
import { createTranslator } from '../content/i18n';
import { discreetTexts, discretionProblems, fold, proactiveTexts, proactiveWordsIn, renderedStrings, sensitiveWordsIn } from './discretion';

const root = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') });
const withCode = (text: string) => text.replace(/\{\{code\}\}/g, 'K7M2QX');

describe('discretion of texts read over her shoulder', () => {
  const proactive = proactiveTexts(content.resources);
  const discreet = discreetTexts(content.resources);

  it('sends proactively only the neutral "reply STATUT <code>" text, the broadcast notice and the keep-it question of her news, in French and English; Bambara falls back to French', () => {
    expect([...proactive.keys()].sort()).toEqual([
      'en callback:proactive.news', 'en callback:proactive.status', 'en news:proactive.keep',
      'fr callback:proactive.news', 'fr callback:proactive.status', 'fr news:proactive.keep',
    ]);
    const t = createTranslator(content.resources, { base: content.base, languages: content.languages }).t;
    expect(t('fr')('callback:proactive.status', { code: 'K7M2QX' })).toBe('Répondez STATUT K7M2QX pour des nouvelles.');
    expect(t('en')('callback:proactive.status', { code: 'K7M2QX' })).toBe('Reply STATUS K7M2QX for news.');
    expect(t('bm')('callback:proactive.status', { code: 'K7M2QX' })).toBe('Répondez STATUT K7M2QX pour des nouvelles.');
  });

  it('no proactive text names a call, an appointment, a topic, an organisation or the subject, in any language', () => {
    expect([...proactive].filter(([, text]) => proactiveWordsIn(withCode(text)).length > 0)).toEqual([]);
    expect(discretionProblems(content.resources)).toEqual([]);
  });

  it('the replies to her own request (confirmation, STATUT) and the staff notices never name the commission, testimony, violence or reparations', () => {
    for (const lang of ['fr', 'bm', 'en']) {
      expect(discreet.has(`${lang} callback:registered`)).toBe(true);
      expect(discreet.has(`${lang} callback:status.no_answer`)).toBe(true);
    }
    expect([...discreet.keys()].some((k) => k.includes('callback:staff.'))).toBe(true);
    expect([...discreet].filter(([, text]) => sensitiveWordsIn(withCode(text)).length > 0)).toEqual([]);
  });

  it('would refuse the old status lines as proactive texts: each says a call was arranged', () => {
    const r = content.resources;
    const status = (lang: string) => (r[lang]!.callback as { status: Record<string, string> }).status;
    for (const lang of ['fr', 'bm', 'en']) expect(proactiveWordsIn(withCode(status(lang).no_answer!))).not.toEqual([]);
    // bm "an ma se k'i sɔrɔ" (we could not reach you) uses a common verb: a native speaker must judge it
    for (const lang of ['fr', 'en']) expect(proactiveWordsIn(withCode(status(lang).unreachable!))).not.toEqual([]);
    expect(proactiveWordsIn('Votre rendez-vous avec l\'AGRV')).toEqual(expect.arrayContaining(['rendez-vous', 'agrv']));
    expect(proactiveWordsIn('Sariya dɛmɛ: an bɛna i wele telefɔni kan')).toEqual(expect.arrayContaining(['sariya', 'wele', 'telefɔni']));
    expect(proactiveWordsIn('Your callback about compensation, from the NGO')).toEqual(expect.arrayContaining(['call', 'compensat', 'ngo']));
  });

  it('matches at the start of words and acronyms only as whole words, so a reference code or an ordinary word is not taken for one', () => {
    expect(proactiveWordsIn('Répondez STATUT RDV3KQ pour des nouvelles.')).toEqual([]);
    expect(proactiveWordsIn('Reply STATUS CVJR2A for news, locally.')).toEqual([]);
    expect(proactiveWordsIn('longtemps')).toEqual([]);
    expect(proactiveWordsIn('un RDV')).toEqual(['rdv']);
  });

  it('would catch the topic words of the shipped menus (the check can fail)', () => {
    for (const [lang, key] of [['fr', 'testimony'], ['fr', 'reparations'], ['bm', 'testimony'], ['bm', 'reparations'], ['en', 'testimony'], ['en', 'reparations']] as const) {
      const label = (content.resources[lang]!.menu as Record<string, string>)[key]!;
      expect(sensitiveWordsIn(`Demande K7M2QX : ${label}`)).not.toEqual([]);
    }
    expect(sensitiveWordsIn('Votre témoignage à la CVJR')).toEqual(expect.arrayContaining(['cvjr', 'temoign']));
    expect(sensitiveWordsIn('Violences sexuelles')).toEqual(expect.arrayContaining(['violence', 'sexuel']));
  });

  it('reads every string of a rendered message: an SMS body, a Telegram text and its buttons', () => {
    expect(renderedStrings('Répondez')).toEqual(['Répondez']);
    expect(renderedStrings({ text: 'a', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'c' }]] } })).toEqual(['a', 'b', 'c']);
  });

  it('folds accents and Bambara letters so spelling variants are caught', () => {
    expect(fold('Bɔnɛ')).toContain('bone');
    expect(fold('Réparations')).toContain('reparations');
  });
});
