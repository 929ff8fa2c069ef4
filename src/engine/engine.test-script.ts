/**
 * Runs a scripted conversation through `step` for data-driven specs: each turn is what she sends
 * (text, a button or /start), how long after the previous one, and what must come back.
 */
import type { EngineEvent, FlowSet, Input, Session, StepResult } from './engine.types';
import { step } from './step';
import { testFlowSet } from './engine.test-flows';

export interface ScriptTurn {
  send: string | Input;
  /** ms since the previous turn (default 1 s). */
  after?: number;
  /** output text keys, in order. */
  says?: string[];
  events?: EngineEvent[];
  /** "flow/node" where the conversation waits afterwards. */
  at?: string;
  vars?: Record<string, string>;
  misses?: number;
  ended?: boolean;
  /** check anything else on the result. */
  check?: (result: StepResult) => void;
}

export interface ScriptCase {
  name: string;
  turns: ScriptTurn[];
  /** a stored session to start from instead of none. */
  session?: Session;
  flowSet?: FlowSet;
  /** the shell's facts passed with every turn. */
  facts?: Record<string, string>;
}

export const T0 = 1_700_000_000_000;

/** Plays the script, asserting each turn; returns the last session. */
export function play(c: ScriptCase): Session | null {
  const flowSet = c.flowSet ?? testFlowSet();
  let session: Session | null = c.session ?? null;
  let now = session?.lastActiveAt ?? T0;
  c.turns.forEach((turn, i) => {
    now += turn.after ?? 1000;
    const input: Input = typeof turn.send === 'string' ? { kind: 'text', text: turn.send } : turn.send;
    const result = step(flowSet, session, input, { now, ...(c.facts ? { facts: c.facts } : {}) });
    const where = `turn ${i + 1} (${JSON.stringify(turn.send)})`;
    const got = {
      says: result.outputs.map((o) => o.text),
      events: result.events,
      at: `${result.session.at.flow}/${result.session.at.node}`,
      vars: result.session.vars,
      misses: result.session.misses,
      ended: !!result.session.ended,
    };
    const want: Record<string, unknown> = {};
    for (const k of ['says', 'events', 'at', 'vars', 'misses', 'ended'] as const) if (turn[k] !== undefined) want[k] = turn[k];
    expect({ where, ...pick(got, Object.keys(want)) }).toEqual({ where, ...want });
    expect(result.session.lastActiveAt).toBe(now);
    turn.check?.(result);
    session = result.session;
  });
  return session;
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}

/** The first turns of most scripts: a new conversation in French, at the main menu. */
export const START_FR: ScriptTurn[] = [
  { send: 'Bonjour', says: ['language:prompt'], at: 'language/choose' },
  { send: '1', says: ['menu:prompt'], at: 'menu/main' },
];
