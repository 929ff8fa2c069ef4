import type { NodeRef, Output } from './engine.types';
import { runAction } from './actions';
import { nodeAt, targetOf } from './lookup';
import { sameRef } from './targets';
import { HISTORY_LIMIT, MAX_CHAIN, Turn, WaitingNode, isWaiting, questionOutput } from './turn';

type WalkResult = 'waiting' | 'ended' | 'broken' | 'runaway';

/**
 * Moves the conversation to `ref` and runs messages and actions until a node waits for her
 * (menu, ask) or the conversation ends. A broken target or a loop (both refused by the content
 * check) falls back to the home menu; if even that fails the conversation ends quietly, so no
 * input can ever throw or leave her without an answer next time.
 * `remember`: push the question she leaves onto the history used by `back`.
 */
export function enter(turn: Turn, ref: NodeRef | null, remember = true): void {
  const leaving = turn.s.at;
  for (const start of [ref, turn.flowSet.home]) {
    const mark = { outputs: turn.outputs.length, events: turn.events.length };
    const result = walk(turn, start, remember ? leaving : undefined);
    if (result === 'waiting' || result === 'ended') return;
    if (result === 'runaway') {
      // a loop would repeat the same texts dozens of times: drop them
      turn.outputs.length = mark.outputs;
      turn.events.length = mark.events;
    }
  }
  turn.s.at = turn.flowSet.home;
  turn.s.ended = true;
}

function walk(turn: Turn, start: NodeRef | null, leaving: NodeRef | undefined): WalkResult {
  let ref = start;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const node = nodeAt(turn.flowSet, ref ?? undefined);
    if (!ref || !node) return 'broken';
    if (isWaiting(node)) {
      ask(turn, ref, node, leaving);
      return 'waiting';
    }
    if (node.type === 'message') {
      turn.outputs.push(messageOutput(node.text, node.params, turn.facts));
      ref = targetOf(turn.flowSet, ref.flow, node.next);
      continue;
    }
    const outcome = node.type === 'action' ? runAction(node.action, { flowSet: turn.flowSet, session: turn.s, flow: ref.flow, facts: turn.facts }) : null;
    if (!outcome) return 'broken';
    // an action's `awaits` counts in its own events; the shell needs the index in the whole step
    const base = turn.events.length;
    turn.events.push(...outcome.events);
    for (const o of outcome.outputs ?? []) turn.outputs.push(o.awaits === undefined ? o : { ...o, awaits: base + o.awaits });
    if (outcome.end) {
      turn.s.at = ref;
      turn.s.ended = true;
      return 'ended';
    }
    ref = targetOf(turn.flowSet, ref.flow, outcome.jump ?? node.next);
  }
  return 'runaway';
}

function messageOutput(text: string, params: string[] | undefined, facts: Record<string, string>): Output {
  if (!params?.length) return { text };
  return { text, params: Object.fromEntries(params.map((name) => [name, facts[name] ?? ''])) };
}

function ask(turn: Turn, ref: NodeRef, node: WaitingNode, leaving: NodeRef | undefined): void {
  const s = turn.s;
  if (leaving && !sameRef(leaving, ref) && isWaiting(nodeAt(turn.flowSet, leaving))) {
    s.history.push(leaving);
    if (s.history.length > HISTORY_LIMIT) s.history.splice(0, s.history.length - HISTORY_LIMIT);
  }
  s.at = ref;
  s.ended = false;
  s.question += 1;
  turn.outputs.push(questionOutput(node, s.question, turn.facts));
}

/** `back`: the most recent earlier question that still exists, else home. */
export function goBack(turn: Turn): void {
  const s = turn.s;
  for (let previous = s.history.pop(); previous; previous = s.history.pop()) {
    if (isWaiting(nodeAt(turn.flowSet, previous))) return enter(turn, previous, false);
  }
  enter(turn, turn.flowSet.home, false);
}
