import { join } from 'node:path';
import { loadContent } from '../content/content.loader';
import type { EngineEvent, Input } from './engine.types';
import { START_FR, play, type ScriptCase } from './engine.test-script';

/**
 * Issue 25, listen mode, against the real content (flows/voice_messages.yaml, flows/language.yaml,
 * common:commands.listen / read): the words and the language menu's appended choice switch it, only
 * where the shell reports the fact `voice_messages` (a chat channel that sends voice messages); a voice
 * note (Input `voice_note`, flows/_index.yaml voice_note) leads to the offer, yes/no.
 */
const ROOT = join(__dirname, '..', '..');
const flowSet = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') }).flowSet;

const ON: EngineEvent[] = [{ type: 'listen_mode_changed', on: true }];
const OFF: EngineEvent[] = [{ type: 'listen_mode_changed', on: false }];
const CHAT = { voice_messages: 'yes' };
const VOICE_NOTE: Input = { kind: 'voice_note' };
const LANGUAGES = ['fr', 'bm', 'en', 'ff', 'ses', 'taq'];

const cases: ScriptCase[] = [
  { name: 'ECOUTER switches it on, with the warning, then the menu; LIRE turns it off', facts: CHAT, turns: [...START_FR,
    { send: 'ECOUTER', says: ['voice_messages:on', 'menu:prompt'], events: ON, at: 'menu/main' },
    { send: 'lire', says: ['voice_messages:off', 'menu:prompt'], events: OFF, at: 'menu/main' }] },
  { name: 'the English words LISTEN and READ, accents and case ignored', facts: CHAT, turns: [...START_FR,
    { send: 'Listen', events: ON }, { send: 'READ', events: OFF }, { send: 'Écouter', events: ON }] },
  { name: 'works in the middle of a question, which is left for the menu', facts: CHAT, turns: [...START_FR, { send: '2' },
    { send: 'listen', events: ON, at: 'menu/main' }] },
  { name: 'the language menu offers it last, only with the fact; choices 1-6 keep their numbers', facts: CHAT, turns: [
    { send: 'hi', check: (r) => expect(r.outputs.at(-1)?.choices?.map((c) => c.id)).toEqual([...LANGUAGES, 'listen']) },
    { send: '7', says: ['voice_messages:on', 'menu:prompt'], events: ON }] },
  { name: 'without the fact (SMS, a call) the language menu keeps its six choices and 7 is no choice', turns: [
    { send: 'hi', check: (r) => expect(r.outputs.at(-1)?.choices?.map((c) => c.id)).toEqual(LANGUAGES) },
    { send: '7', says: ['common:reprompt'], events: [], misses: 1 }] },
  { name: 'without the fact the words get one short reply and the menu, and nothing changes', turns: [...START_FR,
    { send: 'ECOUTER', says: ['voice_messages:unavailable', 'menu:prompt'], events: [], at: 'menu/main' },
    { send: 'LIRE', says: ['voice_messages:unavailable', 'menu:prompt'], events: [] }] },
  { name: 'a voice note: the offer (never switched on by itself); yes switches it on with the confirmation', facts: CHAT, turns: [...START_FR, { send: '2' },
    { send: VOICE_NOTE, says: ['voice_messages:offer.prompt'], events: [], at: 'voice_messages/offer_ask', misses: 0 },
    { send: '1', says: ['voice_messages:on', 'menu:prompt'], events: ON, at: 'menu/main' }] },
  { name: 'a voice note, then no: the menu, listen mode untouched', facts: CHAT, turns: [...START_FR,
    { send: VOICE_NOTE, says: ['voice_messages:offer.prompt'], events: [] },
    { send: '2', says: ['menu:prompt'], events: [], at: 'menu/main' }] },
  { name: 'the offer takes typed words too: "oui" (any case) switches it on', facts: CHAT, turns: [...START_FR,
    { send: VOICE_NOTE, says: ['voice_messages:offer.prompt'] },
    { send: 'OUI', says: ['voice_messages:on', 'menu:prompt'], events: ON, at: 'menu/main' }] },
  { name: 'the offer takes "yes", "ok" and "d\'accord" whatever her language, and its label typed whole', facts: CHAT, turns: [...START_FR,
    { send: VOICE_NOTE }, { send: 'yes', events: ON },
    { send: VOICE_NOTE }, { send: 'Ok', events: ON },
    { send: VOICE_NOTE }, { send: "d'accord", events: ON },
    { send: VOICE_NOTE }, { send: 'oui, écouter', events: ON }] },
  { name: 'the offer takes "non" and "no": the menu, listen mode untouched', facts: CHAT, turns: [...START_FR,
    { send: VOICE_NOTE }, { send: 'Non', says: ['menu:prompt'], events: [], at: 'menu/main' },
    { send: VOICE_NOTE }, { send: 'no', says: ['menu:prompt'], events: [], at: 'menu/main' }] },
  { name: 'any other word at the offer is a miss: the question again, nothing switched on', facts: CHAT, turns: [...START_FR,
    { send: VOICE_NOTE }, { send: 'peut-être', says: ['common:reprompt'], events: [], misses: 1, at: 'voice_messages/offer_ask' }] },
  { name: 'a voice note without the fact: one short reply and the menu, nothing changes', turns: [...START_FR,
    { send: VOICE_NOTE, says: ['voice_messages:unavailable', 'menu:prompt'], events: [], at: 'menu/main' }] },
  { name: '"Écouter par téléphone" (a return call) is not the listen word', facts: CHAT, turns: [...START_FR,
    { send: 'Écouter par téléphone', check: (r) => expect(r.events).not.toContainEqual(ON[0]) }] },
];

describe('listen mode words and choice (engine, real content)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    play({ ...c, flowSet });
  });
});
