import { DEFAULT_EXPIRY_MS, SENSITIVE_EXPIRY_MS, SESSION_SCHEMA_VERSION } from './engine.types';
import type { FlowSet, Input, Session } from './engine.types';
import { START_FR, ScriptCase, T0, play } from './engine.test-script';
import { testFlowSet } from './engine.test-flows';
import { step } from './step';

const MENU = 'menu:prompt';

const conversations: ScriptCase[] = [
  { name: 'a first message starts at the language choice, whatever it says', turns: [
    { send: '2', says: ['language:prompt'], at: 'language/choose', events: [{ type: 'conversation_restarted', reason: 'new' }] }] },
  { name: '0 goes home from anywhere', turns: [...START_FR, { send: '1' }, { send: '0', says: [MENU], at: 'menu/main' }] },
  { name: 'a home word in any case goes home', turns: [...START_FR, { send: '2' }, { send: 'Accueil', says: [MENU], at: 'menu/main' }] },
  { name: 'back returns to the previous question', turns: [...START_FR, { send: '1' },
    { send: 'retour', says: [MENU], at: 'menu/main' }, { send: 'retour', says: ['language:prompt'], at: 'language/choose' }] },
  { name: 'back with no earlier question goes home', turns: [{ send: 'hi' }, { send: 'retour', says: [MENU], at: 'menu/main' }] },
  { name: 'help works from inside a question', turns: [...START_FR, { send: '2' },
    { send: 'aide', says: ['help:about', MENU], at: 'menu/main' }] },
  { name: 'a Bambara command word works too', turns: [...START_FR, { send: 'kan', says: ['language:prompt'] }] },
  { name: 'nonsense gets a re-prompt that shows the choices again', turns: [...START_FR, { send: 'blabla', says: ['common:reprompt'],
    misses: 1, at: 'menu/main', check: (r) => {
      expect(r.outputs[0].choices?.map((c) => c.id)).toEqual(['reparations', 'callback', 'quiz', 'bye', 'broken', 'survey']);
      expect(r.outputs[0].question).toBe(r.session.question);
    } }] },
  { name: 'three misses in a row lead to the rescue menu, and the count starts again', turns: [...START_FR,
    { send: 'x', misses: 1 }, { send: 'y', misses: 2 }, { send: 'z', says: ['help:rescue'], at: 'help/rescue', misses: 0 },
    { send: 'w', says: ['common:reprompt'], misses: 1 }] },
  { name: 'a match resets the miss count', turns: [...START_FR, { send: 'x' }, { send: 'y', misses: 2 }, { send: '1', misses: 0 },
    { send: 'z', misses: 1 }] },
  { name: 'invalid answers to a question also count as misses', turns: [...START_FR, { send: '2' }, { send: 'a' }, { send: 'b' },
    { send: 'c', says: ['help:rescue'], at: 'help/rescue' }] },
  { name: 'a button from an older message is refused and the current question shown again', turns: [
    { send: 'hi' }, { send: '1' }, { send: { kind: 'choice', question: 1, choice: 'bm' }, says: ['common:stale_button', MENU],
      at: 'menu/main', events: [] }] },
  { name: 'an unknown button id counts as a miss', turns: [...START_FR,
    { send: { kind: 'choice', question: 2, choice: 'nope' }, says: ['common:reprompt'], misses: 1 }] },
  { name: 'a button on a free question is stale', turns: [...START_FR, { send: '2' },
    { send: { kind: 'choice', question: 3, choice: 'x' }, says: ['common:stale_button', 'callback:ask_number'] }] },
  { name: '/start with a language goes home', turns: [...START_FR, { send: '2' }, { send: { kind: 'start' }, says: [MENU],
    events: [{ type: 'conversation_restarted', reason: 'start' }] }] },
  { name: '/start before any language goes to the language choice', turns: [{ send: { kind: 'start' }, says: ['language:prompt'],
    events: [{ type: 'conversation_restarted', reason: 'new' }] }, { send: { kind: 'start' }, says: ['language:prompt'],
    events: [{ type: 'conversation_restarted', reason: 'start' }] }] },
  { name: 'a choice pointing nowhere falls back home instead of failing', turns: [...START_FR, { send: '5', says: [MENU], at: 'menu/main' }] },
  { name: 'idle past the default expiry: greeting, menu, and the input is not read as an answer', turns: [...START_FR,
    { send: '1', after: DEFAULT_EXPIRY_MS + 1, says: ['common:expired', MENU], at: 'menu/main',
      events: [{ type: 'conversation_expired' }, { type: 'conversation_restarted', reason: 'expired' }] }] },
  { name: 'idle just under the default expiry: the answer is read', turns: [...START_FR,
    { send: '1', after: DEFAULT_EXPIRY_MS, at: 'reparations/rmenu' }] },
  { name: 'a sensitive flow expires after 30 minutes and forgets what she said', turns: [...START_FR, { send: '2' },
    { send: '70123456', vars: { number: '+22370123456' } },
    { send: '1234', after: SENSITIVE_EXPIRY_MS + 1, says: ['common:expired', MENU], vars: {}, events: [
      { type: 'conversation_expired' }, { type: 'conversation_restarted', reason: 'expired' }] }] },
  { name: 'leaving a sensitive flow unfinished forgets what she answered in it', turns: [...START_FR, { send: '2' },
    { send: '70123456', vars: { number: '+22370123456' } },
    { send: '0', says: [MENU], at: 'menu/main', vars: {} }] },
  { name: 'answers stay while she is still inside the sensitive flow', turns: [...START_FR, { send: '2' },
    { send: '70123456', at: 'callback/ask_code', vars: { number: '+22370123456' } },
    { send: '12', says: ['callback:code_invalid', 'callback:ask_code'], at: 'callback/ask_code', vars: { number: '+22370123456' } }] },
  { name: 'the stop word still works on an expired conversation', turns: [...START_FR,
    { send: 'Arrêt', after: DEFAULT_EXPIRY_MS + 1, says: ['common:expired', 'privacy:stopped'],
      events: [{ type: 'conversation_expired' }, { type: 'conversation_restarted', reason: 'expired' }, { type: 'opted_out' }] }] },
  { name: 'the stop word works in a brand-new conversation', turns: [{ send: 'STOP', says: ['privacy:stopped'],
    events: [{ type: 'conversation_restarted', reason: 'new' }, { type: 'opted_out' }] }] },
];

describe('step', () => {
  it.each(conversations.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    play(c);
  });

  it('restarts a session of another schema version at the menu, keeping the language', () => {
    const stale = { v: SESSION_SCHEMA_VERSION + 1, language: 'bm', at: 'menu/main', lastActiveAt: T0 } as unknown as Session;
    play({ name: 'stale', session: stale, turns: [{ send: '1', says: [MENU], at: 'menu/main',
      events: [{ type: 'conversation_restarted', reason: 'stale_version' }], check: (r) => expect(r.session.language).toBe('bm') }] });
  });

  it('never changes the session it was given', () => {
    const first = step(testFlowSet(), null, { kind: 'text', text: 'hi' }, { now: T0 });
    const frozen = structuredClone(first.session);
    step(testFlowSet(), first.session, { kind: 'text', text: '2' }, { now: T0 + 1 });
    expect(first.session).toEqual(frozen);
  });

  it('keeps at most 10 earlier questions for back', () => {
    const end = play({ name: 'h', turns: [...START_FR, ...Array.from({ length: 15 }, (_, i) => ({ send: i % 2 ? '0' : '1' }))] });
    expect(end?.history.length).toBe(10);
  });

  it('falls back home from a message loop instead of spinning', () => {
    const flowSet: FlowSet = testFlowSet();
    flowSet.flows.help.nodes.about = { id: 'about', type: 'message', text: 'help:about', next: 'about' };
    play({ name: 'loop', flowSet, turns: [...START_FR, { send: 'aide', says: [MENU], at: 'menu/main' }] });
  });

  it.each(['__proto__', 'constructor', 'toString'])('answers a stored session pointing at a flow named %j from the menu', (name) => {
    const stored = { v: SESSION_SCHEMA_VERSION, at: { flow: name, node: name }, history: [{ flow: name, node: 'x' }], misses: 0,
      question: 4, lastActiveAt: T0, vars: {}, language: 'fr' } as Session;
    const r = step(testFlowSet(), stored, { kind: 'text', text: 'retour' }, { now: T0 + 1 });
    expect(r.outputs.map((o) => o.text)).toEqual([MENU]);
    expect(r.session.at).toEqual({ flow: 'menu', node: 'main' });
  });

  it('ends quietly, without throwing, when even home is broken', () => {
    const flowSet: FlowSet = { ...testFlowSet(), home: { flow: 'nope', node: 'x' }, entry: { flow: 'nope', node: 'y' } };
    const r = step(flowSet, null, { kind: 'text', text: 'hi' }, { now: T0 });
    expect(r.session.ended).toBe(true);
    expect(() => step(flowSet, r.session, { kind: 'text', text: '1' }, { now: T0 + 1 })).not.toThrow();
  });
});

describe('step under random input', () => {
  // a small deterministic generator: the engine itself must never see randomness
  function* inputs(seed: number, count: number): Generator<Input> {
    let x = seed;
    const next = () => (x = (x * 1103515245 + 12345) % 2147483648);
    const words = ['0', '1', '2', '3', '4', '5', '99', '-1', '', ' ', 'retour', 'menu', 'aide', 'stop', 'start', 'effacer', 'oui',
      'langue', '70123456', '+22370123456', '1234', 'ɛɔɲŋ', '💥', 'a'.repeat(5000), '\u0000', 'null', '١٢', 'RÉPARATIONS'];
    for (let i = 0; i < count; i++) {
      const r = next() % 10;
      if (r === 0) yield { kind: 'start' };
      else if (r === 1) yield { kind: 'choice', question: next() % 12, choice: ['fr', 'bm', 'yes', 'home', 'x'][next() % 5] };
      else yield { kind: 'text', text: words[next() % words.length] };
    }
  }

  it.each([1, 2, 3, 4, 5])('never throws and always answers or ends (seed %i)', (seed) => {
    const flowSet = testFlowSet();
    let session: Session | null = null;
    let now = T0;
    for (const input of inputs(seed, 400)) {
      now += (seed * 7919 + now) % 5 === 0 ? DEFAULT_EXPIRY_MS + 1 : 1000;
      const r = step(flowSet, session, input, { now });
      const node = flowSet.flows[r.session.at.flow]?.nodes[r.session.at.node];
      expect(node).toBeDefined();
      if (!r.session.ended) expect(['menu', 'ask']).toContain(node?.type);
      if (!r.session.ended) expect(r.outputs.length).toBeGreaterThan(0);
      session = r.session;
    }
  });
});
