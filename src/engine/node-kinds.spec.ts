import { NODE_TYPES } from './engine.types';
import { START_FR, ScriptCase, play } from './engine.test-script';

/** One table per node kind; a node kind without cases fails the suite (see last test). */
const cases: Record<string, ScriptCase[]> = {
  message: [
    { name: 'sends its text and goes on at once to the next question', turns: [...START_FR,
      { send: '1', says: ['reparations:overview', 'reparations:menu'], at: 'reparations/rmenu' }] },
    { name: 'passes the named facts as params', facts: { open_callback: 'K7M2QX' }, turns: [...START_FR,
      { send: 'sondage', says: ['survey:open', 'menu:prompt'], check: (r) => expect(r.outputs[0].params).toEqual({ open_callback: 'K7M2QX' }) }] },
    { name: 'chains back to the menu it came from', turns: [...START_FR, { send: '1' },
      { send: 'loi', says: ['reparations:law_text', 'reparations:menu'], at: 'reparations/rmenu' }] },
  ],
  menu: [
    { name: 'shows numbered choices with the question number', turns: [{ send: 'hi', check: (r) => {
      expect(r.outputs[0]).toEqual({ text: 'language:prompt', question: 1, choices: [
        { id: 'fr', label: 'language:fr' }, { id: 'bm', label: 'language:bm' }] });
    } }] },
    { name: 'matches a choice by its displayed number', turns: [...START_FR, { send: ' 2 ', at: 'callback/ask_number' }] },
    { name: 'matches a label in another language, whatever the case and accents', turns: [...START_FR,
      { send: 'JOGOYA', at: 'reparations/rmenu' }] },
    { name: 'matches accented spelling of a label', turns: [...START_FR, { send: 'Réparations !', at: 'reparations/rmenu' }] },
    { name: 'matches an extra keyword', turns: [...START_FR, { send: 'Dédommagement', at: 'reparations/rmenu' }] },
    { name: 'matches a button tap of the current question', turns: [{ send: 'hi' },
      { send: { kind: 'choice', question: 1, choice: 'bm' }, says: ['menu:prompt'], events: [{ type: 'language_changed', language: 'bm' }] }] },
    { name: 'does not match a number past the last choice', turns: [...START_FR, { send: '9', says: ['common:reprompt'], at: 'menu/main', misses: 1 }] },
    { name: 'with save_as keeps the id of the chosen choice for the request', turns: [...START_FR, { send: 'sondage', at: 'survey/when', vars: {} },
      { send: 'soir', vars: {}, events: [{ type: 'consent_given', version: 'v1' }, { type: 'callback_requested', vars: { window: 'evening' }, consentVersion: 'v1' }] }] },
    { name: 'with save_as keeps a button tap too', turns: [...START_FR, { send: 'sondage' },
      { send: { kind: 'choice', question: 3, choice: 'morning' }, events: [{ type: 'consent_given', version: 'v1' }, { type: 'callback_requested', vars: { window: 'morning' }, consentVersion: 'v1' }] }] },
    { name: 'without save_as keeps nothing', turns: [...START_FR, { send: '1', vars: {} }] },
    { name: 'hides a choice whose fact the shell did not report, and numbers the rest', turns: [...START_FR, { send: 'sondage', check: (r) => {
      expect(r.outputs[0].choices).toEqual([{ id: 'morning', label: 'survey:morning' }, { id: 'evening', label: 'survey:evening' }]);
    } }, { send: '2', events: [{ type: 'consent_given', version: 'v1' }, { type: 'callback_requested', vars: { window: 'evening' }, consentVersion: 'v1' }] }] },
    { name: 'shows a choice whose fact is reported, in its place, and its number picks it', facts: { offer_afternoon: 'yes' }, turns: [...START_FR,
      { send: 'sondage', check: (r) => expect(r.outputs[0].choices?.map((c) => c.id)).toEqual(['morning', 'afternoon', 'evening']) },
      { send: '2', events: [{ type: 'consent_given', version: 'v1' }, { type: 'callback_requested', vars: { window: 'afternoon' }, consentVersion: 'v1' }] }] },
    { name: 'a hidden choice cannot be picked by its word, its button or a number past the shown ones', turns: [...START_FR, { send: 'sondage' },
      { send: 'après-midi', says: ['common:reprompt'], at: 'survey/when', misses: 1,
        check: (r) => expect(r.outputs[0].choices?.map((c) => c.id)).toEqual(['morning', 'evening']) },
      { send: { kind: 'choice', question: 3, choice: 'afternoon' }, says: ['common:reprompt'], at: 'survey/when', misses: 2 }] },
    { name: 'a hidden choice cannot be picked by its number past the shown ones', turns: [...START_FR, { send: 'sondage' },
      { send: '3', says: ['common:reprompt'], at: 'survey/when', misses: 1 }] },
  ],
  ask: [
    { name: 'saves a valid phone number in E.164', turns: [...START_FR, { send: '2' },
      { send: '70 12 34 56', says: ['callback:ask_code'], at: 'callback/ask_code', vars: { number: '+22370123456' } }] },
    { name: 'says why and asks again on an invalid phone number', turns: [...START_FR, { send: '2' },
      { send: '123', says: ['callback:number_invalid', 'callback:ask_number'], at: 'callback/ask_number', vars: {}, misses: 1 }] },
    { name: 'a phone question says it expects a phone number, asked and asked again', turns: [...START_FR,
      { send: '2', says: ['callback:ask_number'], check: (r) => expect(r.outputs[0].expects).toBe('phone') },
      { send: '123', says: ['callback:number_invalid', 'callback:ask_number'],
        check: (r) => expect(r.outputs.map((o) => o.expects)).toEqual([undefined, 'phone']) },
      { send: '70 12 34 56', says: ['callback:ask_code'], check: (r) => expect(r.outputs[0].expects).toBeUndefined() }] },
    { name: 'refuses digits outside the length bounds', turns: [...START_FR, { send: '2' }, { send: '+223 70 12 34 56' },
      { send: '12', says: ['callback:code_invalid', 'callback:ask_code'] },
      { send: '1234567', says: ['callback:code_invalid', 'callback:ask_code'] }] },
    { name: 'accepts one of the options, normalised, saved as written in the flow', turns: [...START_FR,
      { send: '3', at: 'quiz/pick' }, { send: 'OUI', at: 'menu/main', vars: { answer: 'Oui' } }] },
    { name: 'refuses an answer outside the options', turns: [...START_FR, { send: '3' },
      { send: 'peut-être', says: ['quiz:invalid', 'quiz:pick'], at: 'quiz/pick' }] },
  ],
  action: [
    { name: 'set_language changes the session language and tells the shell', turns: [{ send: 'hi' },
      { send: 'bamanankan', events: [{ type: 'language_changed', language: 'bm' }],
        check: (r) => expect(r.session.language).toBe('bm') }] },
    { name: 'request_callback hands the answers over then forgets them', turns: [...START_FR, { send: '2' }, { send: '70123456' },
      { send: '1234', says: ['callback:done', 'menu:prompt'], vars: {},
        events: [{ type: 'callback_requested', vars: { number: '+22370123456', code: '1234' } }] }] },
    { name: 'request_callback says its confirmation awaiting the request event, before what follows', turns: [...START_FR, { send: 'sondage' },
      { send: 'matin', says: ['survey:registered', 'menu:prompt'], check: (r) => {
        expect(r.outputs[0].awaits).toBe(1);
        expect(r.events[1].type).toBe('callback_requested');
      } }] },
    { name: 'branch goes on to next without its fact', turns: [...START_FR, { send: 'sondage', says: ['survey:when'], at: 'survey/when' }] },
    { name: 'branch jumps when the shell reports its fact', facts: { open_callback: 'K7M2QX' }, turns: [...START_FR,
      { send: 'sondage', says: ['survey:open', 'menu:prompt'], at: 'menu/main' }] },
    { name: 'end marks the conversation ended; the next message starts again at the menu', turns: [...START_FR,
      { send: '4', says: ['menu:bye_text'], ended: true },
      { send: '1', says: ['menu:prompt'], at: 'menu/main', ended: false, events: [{ type: 'conversation_restarted', reason: 'ended' }] }] },
    { name: 'opt_out through the stop word', turns: [...START_FR,
      { send: 'STOP', says: ['privacy:stopped'], events: [{ type: 'opted_out' }], ended: true }] },
    { name: 'opt_in through the start word after a stop', turns: [...START_FR, { send: 'stop' },
      { send: 'start', says: ['menu:prompt'], events: [{ type: 'conversation_restarted', reason: 'ended' }, { type: 'opted_in' }] }] },
    { name: 'erase_me after confirming', turns: [...START_FR, { send: 'effacer', says: ['privacy:erase_confirm'] },
      { send: 'oui', says: ['privacy:erased'], events: [{ type: 'erase_requested' }], ended: true }] },
  ],
};

describe('node kinds', () => {
  for (const [kind, table] of Object.entries(cases)) {
    describe(kind, () => {
      it.each(table.map((c) => [c.name, c] as const))('%s', (_name, c) => {
        play(c);
      });
    });
  }

  it('has cases for every node kind', () => {
    expect(NODE_TYPES.filter((k) => !(cases[k]?.length > 0))).toEqual([]);
  });
});
