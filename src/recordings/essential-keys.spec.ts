import { essentialKeys, heardKey, type KnownTexts } from './essential-keys';

const texts = (own: Record<string, string[]>): KnownTexts => ({ base: 'fr', has: (lng, key) => (own[lng] ?? []).includes(key) });

describe('what a caller hears, and so what is recorded', () => {
  const known = texts({ fr: ['menu:prompt', 'voice:texts.menu.prompt', 'help:about'], bm: ['menu:prompt'], en: ['menu:prompt', 'voice:texts.menu.prompt'] });

  it('hears the phone wording where her language has one, else her language\'s own text', () => {
    expect(heardKey('menu:prompt', 'fr', known)).toBe('voice:texts.menu.prompt');
    expect(heardKey('menu:prompt', 'en', known)).toBe('voice:texts.menu.prompt');
    // a Bambara text of its own is heard before a French phone wording she would not understand
    expect(heardKey('menu:prompt', 'bm', known)).toBe('menu:prompt');
    expect(heardKey('help:about', 'fr', known)).toBe('help:about');
  });

  it('asks each language for its essential recordings as they are heard on the phone', () => {
    expect(essentialKeys('fr', known)).toContain('voice:texts.menu.prompt');
    expect(essentialKeys('fr', known)).not.toContain('menu:prompt');
    expect(essentialKeys('bm', known)).toContain('menu:prompt');
    expect(essentialKeys('bm')).toContain('language:name.bm');
  });
});
