import type { EngineEvent, Flow, FlowNode, FlowSet } from './engine.types';
import { DEFAULT_EXPIRY_MS } from './engine.types';
import { testFlowSet } from './engine.test-flows';
import { START_FR, play, type ScriptCase } from './engine.test-script';

/**
 * Issue 24 (b): the word APPEL / CALL and the main menu's last choice ask for a return call. The test
 * flow set gains a `listen` flow shaped like flows/listen.yaml: the shell's fact `return_calls` says
 * whether a call can be placed from here; the outcome text awaits the shell's answer to the event.
 */
function withListen(): FlowSet {
  const set = testFlowSet();
  const nodes: FlowNode[] = [
    { id: 'check', type: 'action', action: { type: 'branch', fact: 'return_calls', go: 'request' }, next: 'unavailable' },
    { id: 'unavailable', type: 'message', text: 'listen:unavailable', next: '@menu' },
    { id: 'request', type: 'action', action: { type: 'request_return_call', confirm: 'listen:scheduled' }, next: 'done' },
    { id: 'done', type: 'action', action: { type: 'end' } },
  ];
  const listen: Flow = { id: 'listen', file: 'flows/listen.yaml', start: 'check', sensitive: false, expiryMs: DEFAULT_EXPIRY_MS, nodes: Object.fromEntries(nodes.map((n) => [n.id, n])) };
  const menu = set.flows.menu.nodes.main;
  if (menu.type !== 'menu') throw new Error('test menu changed');
  menu.choices.push({ id: 'listen', label: 'menu:listen', go: '@listen', when: 'return_calls' });
  set.flows.listen = listen;
  set.commands.call = { flow: 'listen', node: 'check' };
  set.globalWords.call = ['appel', 'appelez moi', 'call'];
  set.keywords['menu:listen'] = ['ecouter par telephone'];
  return set;
}

const ASKED: EngineEvent[] = [{ type: 'return_call_requested' }];
const CAN_CALL = { return_calls: 'yes' };
const MENU_IDS = ['reparations', 'callback', 'quiz', 'bye', 'broken', 'survey'];

const cases: ScriptCase[] = [
  { name: 'APPEL asks for the call; the confirmation awaits it and the conversation ends (one SMS)', facts: CAN_CALL, turns: [...START_FR,
    { send: 'APPEL', says: ['listen:scheduled'], events: ASKED, ended: true,
      check: (r) => expect(r.outputs).toEqual([{ text: 'listen:scheduled', awaits: 0 }]) },
    { send: 'bonjour', says: ['menu:prompt'], at: 'menu/main' }] },
  { name: 'CALL and "appelez-moi" are the same word', facts: CAN_CALL, turns: [...START_FR,
    { send: 'call', events: ASKED }, { send: 'Appelez-moi !', events: [{ type: 'conversation_restarted', reason: 'ended' }, ...ASKED] }] },
  { name: 'works in the middle of a question, which is left', facts: CAN_CALL, turns: [...START_FR, { send: '2', at: 'callback/ask_number' },
    { send: 'appel', events: ASKED, vars: {} }] },
  { name: 'works as her very first message, before any language is chosen', facts: CAN_CALL, turns: [
    { send: 'APPEL', says: ['listen:scheduled'], events: [{ type: 'conversation_restarted', reason: 'new' }, ...ASKED] }] },
  { name: 'without the fact (no voice line, Telegram, a call) gets a short reply and the menu, and asks nothing', turns: [...START_FR,
    { send: 'APPEL', says: ['listen:unavailable', 'menu:prompt'], events: [], at: 'menu/main', ended: false }] },
  { name: 'the menu offers "listen by phone" last, only with the fact, and the numbers before it stay', facts: CAN_CALL, turns: [
    { send: 'hi' },
    { send: '1', check: (r) => expect(r.outputs.at(-1)?.choices?.map((c) => c.id)).toEqual([...MENU_IDS, 'listen']) },
    { send: '7', says: ['listen:scheduled'], events: ASKED }] },
  { name: 'without the fact the menu keeps its six choices, and 7 is no choice', turns: [
    { send: 'hi' },
    { send: '1', check: (r) => expect(r.outputs.at(-1)?.choices?.map((c) => c.id)).toEqual(MENU_IDS) },
    { send: '7', says: ['common:reprompt'], events: [], misses: 1 }] },
  { name: 'the label is a keyword of the choice', facts: CAN_CALL, turns: [...START_FR, { send: 'Écouter par téléphone', events: ASKED }] },
];

describe('return call asked by message (engine)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    play({ ...c, flowSet: withListen() });
  });
});
