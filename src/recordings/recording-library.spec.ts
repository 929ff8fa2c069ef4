import type { LocaleResources } from '../content/content.types';
import { essentialKeys } from './essential-keys';
import { audioCoverage, coverageReport, isPlayable, languageRecordings, missingEssentials, toRecord, untranslatedKeys, type StoredRecording } from './recording-library';

const resources: LocaleResources = {
  fr: { menu: { prompt: 'Menu Sira.', help: 'Aide', callback: 'Rappel' }, callback: { registered: 'Référence : {{code}}' }, common: { commands: { stop: 'STOP' } } },
  bm: { menu: { prompt: 'Sira ka menu.', help: 'Dɛmɛ' } },
};
const content = { resources, base: 'fr' };

function take(key: string, text: string, extra: Partial<StoredRecording> = {}): StoredRecording {
  return {
    language: 'bm', key, text, status: 'draft', durationMs: 30_000, phoneSha256: 'a'.repeat(64), voiceSha256: 'b'.repeat(64),
    recordedBy: 'Awa', reviewedBy: null, reviewedOn: null, updatedAt: new Date('2026-01-01'), ...extra,
  };
}

describe('the recording library', () => {
  it('lists only the keys the language has its own text for, and never typed words or texts with a variable', () => {
    expect(languageRecordings(content, 'bm', []).map((e) => e.key)).toEqual(['menu:help', 'menu:prompt']);
    expect(languageRecordings(content, 'fr', []).map((e) => e.key)).toEqual(['menu:callback', 'menu:help', 'menu:prompt']);
    expect(untranslatedKeys(content, 'bm')).toEqual(['menu:callback']);
  });

  it('marks a recording stale when its text is no longer the text of the key', () => {
    const entries = languageRecordings(content, 'bm', [take('menu:prompt', 'Sira ka menu kɔrɔ.'), take('menu:help', 'Dɛmɛ')]);
    expect(entries.map((e) => [e.key, e.state])).toEqual([['menu:help', 'recorded'], ['menu:prompt', 'stale']]);
  });

  it('plays a recording only when it is not stale and its status reaches the gate', () => {
    const [help, prompt] = languageRecordings(content, 'bm', [take('menu:help', 'Dɛmɛ', { status: 'reviewed' }), take('menu:prompt', 'old', { status: 'legal' })]);
    expect(isPlayable(help, 'reviewed')).toBe(true);
    expect(isPlayable(help, 'legal')).toBe(false);
    expect(isPlayable(prompt, 'draft')).toBe(false);
  });

  it('counts recorded, stale, missing, playable keys and minutes per language', () => {
    const entries = languageRecordings(content, 'fr', [take('menu:prompt', 'Menu Sira.', { language: 'fr', durationMs: 90_000 }), take('menu:help', 'Aide ancienne', { language: 'fr' })]);
    expect(audioCoverage('fr', entries, 'draft')).toEqual({ language: 'fr', recorded: 1, stale: 1, missing: 1, playable: 1, total: 3, untranslated: 0, minutes: 2 });
    expect(coverageReport([audioCoverage('fr', entries, 'draft')], 'draft')).toMatch(/fr\s+1\/3\s+1\s+1\s+1\s+2\.0\s+0/);
  });

  it('puts the stalest recordings first, then the keys never recorded', () => {
    const entries = languageRecordings(content, 'fr', [
      take('menu:help', 'x', { language: 'fr', updatedAt: new Date('2026-05-01') }),
      take('menu:prompt', 'y', { language: 'fr', updatedAt: new Date('2026-02-01') }),
    ]);
    expect(toRecord(entries).map((e) => e.key)).toEqual(['menu:prompt', 'menu:help', 'menu:callback']);
  });

  it('names each essential key a voice language cannot play yet', () => {
    const entries = languageRecordings(content, 'bm', [take('menu:prompt', 'Sira ka menu.', { status: 'reviewed' })]);
    const missing = missingEssentials(entries, essentialKeys('bm'), 'reviewed');
    expect(missing).not.toContain('menu:prompt');
    expect(missing).toEqual(expect.arrayContaining(['language:prompt', 'menu:help', 'voice:press.2', 'callback:consent.notice', 'safety:danger', 'language:name.bm']));
  });
});
