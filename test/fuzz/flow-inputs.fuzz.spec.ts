import fc from 'fast-check';
import type { Input, Session } from '../../src/engine/engine.types';
import { step } from '../../src/engine/step';
import { contentTexts } from '../sms/twilio-test.harness';
import { FUZZ_RUNS, FUZZ_SEED, hostileText, wrongType } from './hostile.arbitraries';
import { optsOut } from './twilio-form.arbitrary';

const { content } = contentTexts();
const flowSet = content.flowSet;
const choiceIds = Object.values(flowSet.flows).flatMap((f) => Object.values(f.nodes).flatMap((n) => (n.type === 'menu' ? n.choices.map((c) => c.id) : [])));

/** What a channel may hand the engine, plus what no channel should (wrong types where strings belong). */
const input: fc.Arbitrary<Input> = fc.oneof(
  { weight: 4, arbitrary: hostileText.filter((t) => !optsOut(t)).map((text) => ({ kind: 'text', text }) as Input) },
  { weight: 3, arbitrary: fc.constantFrom('1', '2', '3', '4', '9', 'menu', 'retour', 'aide', 'oui', 'non', '70 00 00 00').map((text) => ({ kind: 'text', text }) as Input) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('choice'), question: fc.oneof(fc.integer(), fc.constant(-1), fc.constant(Number.NaN)), choice: fc.oneof(fc.constantFrom(...choiceIds), hostileText) }) as fc.Arbitrary<Input> },
  { weight: 1, arbitrary: fc.constant({ kind: 'start' } as Input) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('text', 'choice', 'voice', ''), text: wrongType, question: wrongType, choice: wrongType }) as unknown as fc.Arbitrary<Input> },
);

/**
 * The engine fed long runs of hostile inputs, each session going through JSON as Redis stores it:
 * it never throws, every session it returns is a session it can read again, and "0" (the menu)
 * after any run is answered.
 */
describe('a flow input of the wrong type (found by this fuzzer, seed 20261128)', () => {
  it('reads as an empty text instead of throwing, and the menu still answers after it', () => {
    const odd = step(flowSet, null, { kind: 'text', text: [] } as unknown as Input, { now: 1_800_000_000_000 });
    expect(odd.outputs.length).toBeGreaterThan(0);
    const after = step(flowSet, odd.session, { kind: 'text', text: '\u0000' }, { now: 1_800_000_000_000 });
    expect(step(flowSet, after.session, { kind: 'text', text: '0' }, { now: 1_800_000_000_000 }).outputs.length).toBeGreaterThan(0);
  });
});

describe(`the flow engine under ${FUZZ_RUNS} runs of hostile inputs`, () => {
  it('never throws, and answers the menu after any sequence', () => {
    let steps = 0;
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 3 * 86_400_000 }), (inputs, gap) => {
        let session: Session | null = null;
        let now = 1_800_000_000_000;
        for (const i of inputs) {
          session = JSON.parse(JSON.stringify(step(flowSet, session, i, { now }).session)) as Session;
          now += gap / inputs.length;
          steps++;
        }
        const menu = step(flowSet, session, { kind: 'text', text: '0' }, { now });
        return menu.outputs.length > 0;
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED, verbose: 1 },
    );
    console.log(`flow input fuzz: ${FUZZ_RUNS} runs, ${steps} steps, 0 failures`);
  });
});
