import { START_FR, ScriptCase, play } from './engine.test-script';

const MENU = 'menu:prompt';

/** The phone keypad's own keys (src/channels/voice): the same engine, no miss, no answer read. */
const keypad: ScriptCase[] = [
  { name: 'repeat (*) says the current question again, with its choices, and is not a miss', turns: [...START_FR,
    { send: 'x', misses: 1 },
    { send: { kind: 'keypad', key: 'repeat' }, says: [MENU], at: 'menu/main', misses: 0, check: (r) => {
      expect(r.outputs[0].choices?.length).toBeGreaterThan(0);
      expect(r.outputs[0].question).toBe(r.session.question);
    } }] },
  { name: 'home (0) goes to the main menu from inside a question', turns: [...START_FR, { send: '2' },
    { send: { kind: 'keypad', key: 'home' }, says: [MENU], at: 'menu/main' }] },
  { name: 'back (#) returns to the previous question', turns: [...START_FR, { send: '2' },
    { send: { kind: 'keypad', key: 'back' }, says: [MENU], at: 'menu/main' }] },
  { name: 'person (9) opens the callback offer from any menu', turns: [...START_FR,
    { send: { kind: 'keypad', key: 'person' }, at: 'callback/ask_number' }] },
];

describe('keypad keys', () => {
  for (const c of keypad) it(c.name, () => void play(c));

  it('a keypad key of an unknown kind reads as an empty text (a miss), never a throw', () => {
    void play({ name: 'bad key', turns: [...START_FR, { send: { kind: 'keypad', key: 'launch' } as never, says: ['common:reprompt'], misses: 1 }] });
  });
});
