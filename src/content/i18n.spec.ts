import { createTranslator } from './i18n';

const resources = {
  fr: { common: { hello: 'Bonjour {{name}}', only_fr: 'Seulement en français', ask: 'Écrivez', ask_telegram: 'Écrivez ou partagez' }, menu: { title: 'Menu' } },
  bm: { common: { hello: 'I ni ce {{name}}', ask: 'A sɛbɛn' }, menu: { title: 'Menu' } },
  en: { common: { hello: 'Hello {{name}}' } },
};
const languages = ['fr', 'bm', 'en', 'ff'];

describe('createTranslator', () => {
  const translator = createTranslator(resources, { base: 'fr', languages });

  it('translates a namespaced key in the contact language with parameters', () => {
    expect(translator.t('bm')('common:hello', { name: 'Awa' })).toBe('I ni ce Awa');
    expect(translator.t('en')('common:hello', { name: 'Awa' })).toBe('Hello Awa');
  });

  it('falls back to French for a key missing in the contact language', () => {
    expect(translator.t('bm')('common:only_fr')).toBe('Seulement en français');
    expect(translator.t('en')('menu:title')).toBe('Menu');
  });

  it('gives a declared language without texts (Fulfulde) the French text', () => {
    expect(translator.t('ff')('common:hello', { name: 'Awa' })).toBe('Bonjour Awa');
  });

  it('gives an unknown or missing language the French text', () => {
    expect(translator.t('xx')('common:hello', { name: 'A' })).toBe('Bonjour A');
    expect(translator.t(undefined)('common:hello', { name: 'A' })).toBe('Bonjour A');
  });

  it('keeps two contacts in two languages apart, whatever order they are served in', () => {
    const tBm = translator.t('bm');
    const tEn = translator.t('en');
    expect([tEn('common:hello', { name: 'x' }), tBm('common:hello', { name: 'y' })]).toEqual(['Hello x', 'I ni ce y']);
    expect(tEn('common:hello', { name: 'x' })).toBe('Hello x');
  });

  it('does not HTML-escape parameters (each channel escapes for itself)', () => {
    expect(translator.t('fr')('common:hello', { name: '<Awa & Fatou>' })).toBe('Bonjour <Awa & Fatou>');
  });

  it('gives a channel its variant of a text (context `telegram`: `<key>_telegram`), her language first', () => {
    expect(translator.t('fr')('common:ask', { context: 'telegram' })).toBe('Écrivez ou partagez');
    expect(translator.t('fr')('common:ask')).toBe('Écrivez');
    // a language without the variant keeps its own plain text rather than the French variant
    expect(translator.t('bm')('common:ask', { context: 'telegram' })).toBe('A sɛbɛn');
    expect(translator.t('ff')('common:ask', { context: 'telegram' })).toBe('Écrivez ou partagez');
    expect(translator.t('fr')('common:hello', { name: 'Awa', context: 'telegram' })).toBe('Bonjour Awa');
  });

  it('reports whether a language has its own text for a key, without fallback', () => {
    expect(translator.has('bm', 'common:hello')).toBe(true);
    expect(translator.has('bm', 'common:only_fr')).toBe(false);
    expect(translator.has('ff', 'common:hello')).toBe(false);
  });
});
