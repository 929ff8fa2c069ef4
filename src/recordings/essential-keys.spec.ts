import { essentialKeys, heardKey, isRecordable, type KnownTexts } from './essential-keys';

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

  it('never asks for a recording of words she types (commands, a choice\'s keyword list) or of a text with a variable part', () => {
    expect(isRecordable('common:commands.listen', 'ecouter')).toBe(false);
    expect(isRecordable('voice_messages:offer.yes_keywords', "oui, ok, d'accord")).toBe(false);
    expect(isRecordable('callback:registered', 'Votre référence : {{code}}.')).toBe(false);
    expect(isRecordable('voice_messages:offer.yes', 'Oui, écouter')).toBe(true);
    // a channel's own wording of a text is recorded like any other text (said in that channel's listen mode)
    expect(isRecordable('callback:sms.prompt_whatsapp', 'Peut-on vous envoyer un court message WhatsApp ?')).toBe(true);
  });
});
