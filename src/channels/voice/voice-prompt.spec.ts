import { join } from 'node:path';
import { loadContent } from '../../content/content.loader';
import { createTranslator } from '../../content/i18n';
import { everyNodeOutput } from '../../../test/voice/every-node';
import { voiceMenuProblems } from './voice-check';
import { questionOutput } from '../../engine/turn';
import { apologyPrompt, piecesOf, voiceKey, voicePrompt, type VoiceSpeech } from './voice-prompt';

const ROOT = join(__dirname, '..', '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });

/** Speech with French read aloud and, for `recorded`, a test recording of every text that language has. */
function speech(recorded: string[] = [], tts = ['fr']): VoiceSpeech {
  return {
    base: 'fr',
    tts,
    audio: (lng, key) => (recorded.includes(lng) && translator.has(lng, key) ? `https://sira.example.org/audio/${lng}-${key}.mp3` : undefined),
    t: (lng) => translator.t(lng),
    has: (lng, key) => translator.has(lng, key),
    offered: (lng) => recorded.includes(lng),
  };
}

const everyNode = () => everyNodeOutput(content);

describe('what she hears on a call', () => {
  it('every node of every flow is heard in French, each choice with "appuyez sur" its SMS number', () => {
    for (const [where, output] of everyNode()) {
      const prompt = voicePrompt(speech(), 'fr', [output]);
      const said = prompt.pieces.map((p) => ('say' in p ? p.say : p.play));
      expect(`${where}: ${said.length > 0 && said.every(Boolean)}`).toBe(`${where}: true`);
      expect(prompt.pieces.every((p) => 'say' in p && p.language === 'fr-FR')).toBe(true);
      // (the language menu says only the languages that can be heard: French here)
      output.choices?.forEach((_, i) => (output.text !== 'language:prompt' || i === 0) && expect(said).toContain(`appuyez sur ${i + 1}`));
      expect(prompt.listen).toBe(output.choices ? 'key' : output.question !== undefined ? 'number' : 'none');
    }
  });

  it('every node is played from recordings in a recorded language, with no French voice reading its texts', () => {
    for (const [where, output] of everyNode()) {
      const prompt = voicePrompt(speech(['bm']), 'bm', [output]);
      const keys = [output.text, ...(output.choices ?? []).map((c) => c.label), ...(output.choices ?? []).map((_, i) => `voice:press.${i + 1}`), 'voice:goodbye'];
      const frenchTexts = keys.map((k) => translator.t('fr')(voiceKey(k, speech(), 'fr'), output.params));
      for (const piece of prompt.pieces) {
        // the French voice only ever reads a French text (one Bambara has no text or recording of)
        if ('say' in piece) expect(`${where}: ${frenchTexts.includes(piece.say)}`).toBe(`${where}: true`);
      }
      const offered = (output.choices ?? []).filter((c) => output.text !== 'language:prompt' || ['language:name.fr', 'language:name.bm'].includes(c.label));
      const own = [output.text, ...offered.map((c) => c.label)].filter((k) => translator.has('bm', k) && !output.params);
      for (const key of own) expect(prompt.pieces).toContainEqual({ play: `https://sira.example.org/audio/bm-${key}.mp3`, text: translator.t('bm')(key) });
    }
  });

  it('never reads another language with the French voice: an unrecorded Bambara text falls back to the French phone wording', () => {
    const pieces = piecesOf(speech([]), 'bm', 'menu:prompt');
    expect(pieces).toEqual([{ say: translator.t('fr')('voice:texts.menu.prompt'), language: 'fr-FR' }]);
    expect(piecesOf(speech([], []), 'bm', 'menu:prompt')).toEqual([]);
  });

  it('a typed number is asked with the keypad wording and listened for up to #', () => {
    const prompt = voicePrompt(speech(), 'fr', [{ text: 'callback:number.prompt', question: 3, expects: 'phone' }]);
    expect(prompt.pieces).toEqual([{ say: translator.t('fr')('voice:texts.callback.number.prompt'), language: 'fr-FR' }]);
    expect(prompt.listen).toBe('number');
  });

  it('offers by voice only the languages that can be heard, keeping each its SMS number', () => {
    const menu = questionOutput(content.flowSet.flows.language.nodes.choose as never, 1, {});
    const said = voicePrompt(speech(['bm']), 'fr', [menu]).pieces.map((p) => ('say' in p ? p.say : p.play));
    expect(said).toEqual([translator.t('fr')('language:prompt'), 'Français', 'appuyez sur 1', 'Bamanankan', 'appuyez sur 2']);
    expect(said.join(' ')).not.toMatch(/Fulfulde|Tamasheq/);
  });

  it('a turn that asks nothing ends with a goodbye; a stuck store gets the apology', () => {
    expect(voicePrompt(speech(), 'fr', [{ text: 'safety:quick_exit' }])).toEqual({
      pieces: [{ say: translator.t('fr')('safety:quick_exit'), language: 'fr-FR' }, { say: 'Au revoir.', language: 'fr-FR' }],
      listen: 'none',
    });
    expect(apologyPrompt(speech(), 'bm').pieces[0]).toMatchObject({ language: 'fr-FR' });
  });
});

describe('flows:check for the phone', () => {
  it('accepts today\'s menus and refuses a menu the keypad cannot hold', () => {
    expect(voiceMenuProblems(content.flowSet)).toEqual([]);
    const big = structuredClone(content.flowSet);
    const menu = big.flows.menu.nodes.main as { choices: unknown[] };
    menu.choices = [...menu.choices, ...menu.choices].slice(0, 9);
    expect(voiceMenuProblems(big)).toEqual([expect.stringMatching(/^flows\/menu\.yaml: node "main": 9 choices, the phone keypad takes at most 8/)]);
  });
});
