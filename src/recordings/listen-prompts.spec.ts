import type { Output } from '../engine/engine.types';
import { joinedVoiceKey, listenPrompts, pressKey, voiceSha } from './listen-prompts';
import type { PlayableAudio } from './recordings.service';

/** A playable recording whose path names its key, for readable expectations. */
const audio = (name: string, durationMs = 2000): PlayableAudio => ({ phonePath: `${name}.mp3`, voicePath: name, durationMs });

/** Recorded: the English menu, two of its labels, "press 1" and "press 2"; French: only the menu text. */
const catalogue = new Map<string, PlayableAudio>([
  ['en|menu:prompt', audio('en menu')],
  ['en|menu:reparations', audio('en reparations')],
  ['en|menu:help', audio('en help')],
  ['en|voice:press.1', audio('en press 1', 800)],
  ['en|voice:press.2', audio('en press 2', 800)],
  ['en|voice_messages:on', audio('en on')],
  ['fr|menu:prompt', audio('fr menu')],
  ['fr|menu:testimony', audio('fr testimony')],
]);

const menu: Output = {
  text: 'menu:prompt',
  question: 4,
  choices: [
    { id: 'reparations', label: 'menu:reparations' },
    { id: 'testimony', label: 'menu:testimony' },
    { id: 'help', label: 'menu:help' },
  ],
};

const said = (groups: PlayableAudio[][]) => groups.map((g) => g.map((p) => p.voicePath));

describe('which recordings a listen-mode reply says', () => {
  it("says a menu whole in one voice message: its text, then each recorded label followed by its number's clip", () => {
    expect(said(listenPrompts([{ text: 'voice_messages:on' }, menu], 'en', catalogue))).toEqual([
      ['en on', 'en menu', 'en reparations', 'en press 1', 'en help'],
    ]);
  });

  it('skips a label with no recording (its button alone), and says a label without its number clip alone', () => {
    // testimony (2nd) is recorded only in French: nothing for it, not even "press 2"; help (3rd) has no "press 3"
    const groups = said(listenPrompts([menu], 'en', catalogue));
    expect(groups[0]).not.toContain('en press 2');
    expect(groups[0]!.at(-1)).toBe('en help');
  });

  it('never says another language: nothing at all where her language has no recording', () => {
    expect(said(listenPrompts([menu], 'bm', catalogue))).toEqual([]);
    expect(said(listenPrompts([menu], 'fr', catalogue))).toEqual([['fr menu', 'fr testimony']]);
  });

  it('says a text only when the recording is of the wording her chat shows (a channel variant must be recorded itself)', () => {
    const variant = new Map(catalogue).set('en|menu:prompt_whatsapp', audio('en menu on whatsapp'));
    const whatsapp = (key: string) => (key === 'menu:prompt' ? 'menu:prompt_whatsapp' : key);
    expect(said(listenPrompts([{ text: 'menu:prompt' }], 'en', variant, whatsapp))).toEqual([['en menu on whatsapp']]);
    expect(said(listenPrompts([{ text: 'menu:prompt' }], 'en', catalogue, whatsapp))).toEqual([]);
  });

  it('cuts a reply too long for one voice message between a text and a choice, never inside a choice', () => {
    // 2 s, then 2 + 0.8 s, then 2 s: at most 4 s per message, a label keeps its number
    expect(said(listenPrompts([menu], 'en', catalogue, (k) => k, 4000))).toEqual([['en menu'], ['en reparations', 'en press 1'], ['en help']]);
    expect(said(listenPrompts([menu], 'en', catalogue, (k) => k, 5000))).toEqual([['en menu', 'en reparations', 'en press 1'], ['en help']]);
  });

  it('has number clips for the keypad digits only', () => {
    expect(pressKey(1)).toBe('voice:press.1');
    expect(pressKey(9)).toBe('voice:press.9');
    expect(pressKey(10)).toBeUndefined();
  });

  it('names a joined voice message by its parts, in order', () => {
    const a = 'a'.repeat(64);
    const b = 'b'.repeat(64);
    expect(joinedVoiceKey([a, b])).toMatch(/^[0-9a-f]{64}$/);
    expect(joinedVoiceKey([a, b])).toBe(joinedVoiceKey([a, b]));
    expect(joinedVoiceKey([a, b])).not.toBe(joinedVoiceKey([b, a]));
    expect(voiceSha(`/audio/${a}.ogg`)).toBe(a);
    expect(voiceSha(`/audio/${a}.mp3`)).toBeUndefined();
  });
});
