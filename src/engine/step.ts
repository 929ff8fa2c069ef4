import {
  DEFAULT_EXPIRY_MS,
  FlowSet,
  GlobalCommand,
  Input,
  KEYPAD_KEYS,
  NodeRef,
  SESSION_SCHEMA_VERSION,
  Session,
  StepContext,
  StepResult,
} from './engine.types';
import { answer, runCommand } from './answer';
import { matchCommand } from './lookup';
import { normalizeText } from './normalize';
import { Turn, homeOrEntry } from './turn';
import { enter } from './walk';

type RestartReason = 'new' | 'stale_version' | 'expired' | 'start' | 'ended';

/**
 * The whole engine: one input in, the next session plus what to say and what happened out.
 * Pure: no I/O, no clock (ctx.now), no randomness; never throws on any input.
 */
export function step(flowSet: FlowSet, session: Session | null, given: Input, ctx: StepContext): StepResult {
  const input = wellFormed(given);
  const facts = ctx.facts ?? {};
  const turn: Turn = { flowSet, s: session ? copySession(session) : freshSession(ctx.now), outputs: [], events: [], facts };
  if (!session) restart(turn, 'new', input);
  else if (session.v !== SESSION_SCHEMA_VERSION) restart(turn, 'stale_version', input);
  else if (input.kind === 'start') restart(turn, 'start', input);
  else if (isExpired(flowSet, turn.s, ctx.now)) {
    turn.outputs.push({ text: 'common:expired' });
    turn.events.push({ type: 'conversation_expired' });
    restart(turn, 'expired', input);
  } else if (turn.s.ended) restart(turn, 'ended', input);
  else answer(turn, input);
  forgetOnLeaving(flowSet, session?.at?.flow, turn.s);
  turn.s.lastActiveAt = ctx.now;
  return { session: turn.s, outputs: turn.outputs, events: turn.events };
}

/**
 * Starts over without reading the input as an answer to an old question: a shared phone may be in
 * someone else's hands, so nothing said before (vars, history) is kept. Safety words still work.
 */
function restart(turn: Turn, reason: RestartReason, input: Input): void {
  const s = turn.s;
  turn.s = { ...freshSession(s.lastActiveAt), language: s.language, question: s.question, at: s.at };
  turn.events.push({ type: 'conversation_restarted', reason });
  const command = input.kind === 'text' ? matchCommand(turn.flowSet, normalizeText(input.text)) : null;
  if (command && allowedOnRestart(reason).includes(command)) return runCommand(turn, command);
  enter(turn, homeOrEntry(turn), false);
}

function allowedOnRestart(reason: RestartReason): GlobalCommand[] {
  // after an end nothing is pending, so any command is a fresh request; elsewhere only the safety words,
  // and a call or news request (neither reads an answer to an old question; NOUVELLES answers the keep-it
  // message, days after her last message)
  return reason === 'ended'
    ? ['home', 'help', 'language', 'stop', 'start', 'erase', 'safety', 'exit', 'withdraw', 'quiet', 'change', 'call', 'listen', 'read', 'news', 'stop_news']
    : ['stop', 'erase', 'safety', 'exit', 'withdraw', 'call', 'news', 'stop_news'];
}

/**
 * Answers given inside a sensitive flow (a callback's topic, the number to call) are forgotten as soon
 * as she leaves it without finishing: an unfinished request keeps nothing, not even in the session.
 */
function forgetOnLeaving(flowSet: FlowSet, from: string | undefined, s: Session): void {
  if (!from || from === s.at.flow || !flowSet.flows[from]?.sensitive || flowSet.flows[s.at.flow]?.sensitive) return;
  if (Object.keys(s.vars).length) s.vars = {};
}

function isExpired(flowSet: FlowSet, s: Session, now: number): boolean {
  const expiry = flowSet.flows[s.at?.flow]?.expiryMs ?? DEFAULT_EXPIRY_MS;
  return now - s.lastActiveAt > expiry;
}

function freshSession(now: number): Session {
  return { v: SESSION_SCHEMA_VERSION, at: { flow: '', node: '' }, history: [], misses: 0, question: 0, lastActiveAt: now, vars: {} };
}

/**
 * A stored session is untrusted JSON: copy what the engine uses, with safe defaults. The copy is the
 * step's draft: the engine changes it, never the session it was given.
 */
function copySession(session: Session): Session {
  const at = session.at;
  const copy: Session = {
    v: session.v,
    at: at && typeof at === 'object' ? { flow: String(at.flow), node: String(at.node) } : { flow: '', node: '' },
    history: Array.isArray(session.history) ? copyHistory(session.history) : [],
    misses: Number.isFinite(session.misses) ? session.misses : 0,
    question: Number.isFinite(session.question) ? session.question : 0,
    lastActiveAt: Number.isFinite(session.lastActiveAt) ? session.lastActiveAt : 0,
    vars: session.vars && typeof session.vars === 'object' ? { ...session.vars } : {},
  };
  if (typeof session.language === 'string' && session.language) copy.language = session.language;
  if (session.ended) copy.ended = true;
  return copy;
}

function copyHistory(history: NodeRef[]): NodeRef[] {
  const copy: NodeRef[] = new Array(history.length);
  for (let i = 0; i < history.length; i++) {
    const r = history[i];
    copy[i] = { flow: String(r?.flow), node: String(r?.node) };
  }
  return copy;
}

/**
 * Channels hand over checked inputs, but the promise "never throws" holds for any value: an input of
 * the wrong shape (found by the fuzzer: a text that is not a string) reads as an empty text.
 */
function wellFormed(input: Input): Input {
  if (input?.kind === 'start') return input;
  if (input?.kind === 'text' && typeof input.text === 'string') return input;
  if (input?.kind === 'choice' && typeof input.choice === 'string' && Number.isSafeInteger(input.question)) return input;
  if (input?.kind === 'voice_note') return input;
  if (input?.kind === 'keypad' && (KEYPAD_KEYS as readonly unknown[]).includes(input.key)) return input;
  return { kind: 'text', text: '' };
}
