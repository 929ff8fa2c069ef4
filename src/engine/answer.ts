import type { ChoiceSpec, FlowSet, GlobalCommand, Input, MenuNode, NodeRef } from './engine.types';
import { normalizeText } from './normalize';
import { resolveTarget } from './targets';
import { Turn, WaitingNode, homeOrEntry, isWaiting, nodeAt, questionOutput } from './turn';
import { validateAnswer } from './validators';
import { enter, goBack } from './walk';

const MISSES_BEFORE_RESCUE = 3;
// exit first (it must always win), then distress words before the ordinary commands
const COMMAND_ORDER: GlobalCommand[] = ['exit', 'home', 'back', 'safety', 'help', 'language', 'stop', 'start', 'erase', 'withdraw', 'quiet'];

/** Reads her input as an answer to the question the session stands at. */
export function answer(turn: Turn, input: Exclude<Input, { kind: 'start' }>): void {
  const node = nodeAt(turn.flowSet, turn.s.at);
  if (!isWaiting(node)) return enter(turn, homeOrEntry(turn), false);
  if (input.kind === 'choice') return answerButton(turn, node, input);
  const text = normalizeText(input.text);
  const command = matchCommand(turn.flowSet, text);
  if (command) return runCommand(turn, command);
  if (node.type === 'menu') {
    const choice = matchChoice(turn.flowSet, node, text);
    return choice ? choose(turn, node, choice) : miss(turn, node);
  }
  const value = validateAnswer(node.validate, input.text);
  if (value === null) return miss(turn, node);
  turn.s.vars = { ...turn.s.vars, [node.save_as]: value };
  turn.s.misses = 0;
  enter(turn, resolveTarget(turn.flowSet.flows, turn.s.at.flow, node.next));
}

function answerButton(turn: Turn, node: WaitingNode, input: { question: number; choice: string }): void {
  if (node.type !== 'menu' || input.question !== turn.s.question) {
    // a button from an older message: say so and show the current question again, never jump
    turn.outputs.push({ text: 'common:stale_button' }, questionOutput(node, turn.s.question));
    return;
  }
  const choice = node.choices.find((c) => c.id === input.choice);
  return choice ? choose(turn, node, choice) : miss(turn, node);
}

/**
 * A global command word typed alone (distress words: anywhere in the message, as whole words);
 * commands without a target in this flow set are not commands.
 */
export function matchCommand(flowSet: FlowSet, text: string): GlobalCommand | null {
  if (text === '0') return 'home';
  for (const name of COMMAND_ORDER) {
    const words = flowSet.globalWords[name] ?? [];
    const said = name === 'safety' ? words.some((w) => ` ${text} `.includes(` ${w} `)) : words.includes(text);
    if (!said) continue;
    if (name === 'home' || name === 'back' || commandTarget(flowSet, name)) return name;
  }
  return null;
}

function commandTarget(flowSet: FlowSet, name: GlobalCommand): NodeRef | undefined {
  return name === 'home' || name === 'back' ? undefined : flowSet.commands[name];
}

export function runCommand(turn: Turn, command: GlobalCommand): void {
  turn.s.misses = 0;
  if (command === 'back') return goBack(turn);
  if (command === 'home') return enter(turn, turn.flowSet.home);
  enter(turn, commandTarget(turn.flowSet, command) ?? turn.flowSet.home);
}

/** By displayed number (1-based), by label text in any language, or by a keyword in any language. */
export function matchChoice(flowSet: FlowSet, node: MenuNode, text: string): ChoiceSpec | undefined {
  if (!text) return undefined;
  if (/^\d+$/.test(text)) {
    const index = Number(text) - 1;
    if (index >= 0 && index < node.choices.length) return node.choices[index];
  }
  return node.choices.find(
    (c) => flowSet.keywords[c.label]?.includes(text) || (!!c.keywords && flowSet.keywords[c.keywords]?.includes(text)),
  );
}

function choose(turn: Turn, node: MenuNode, choice: ChoiceSpec): void {
  turn.s.misses = 0;
  if (node.save_as) turn.s.vars = { ...turn.s.vars, [node.save_as]: choice.id };
  enter(turn, resolveTarget(turn.flowSet.flows, turn.s.at.flow, choice.go));
}

function miss(turn: Turn, node: WaitingNode): void {
  turn.s.misses += 1;
  if (turn.s.misses >= MISSES_BEFORE_RESCUE) {
    turn.s.misses = 0;
    return enter(turn, turn.flowSet.rescue ?? turn.flowSet.home);
  }
  if (node.type === 'ask') {
    turn.outputs.push({ text: node.invalid }, questionOutput(node, turn.s.question));
    return;
  }
  // re-attach the choices so every channel shows what she can answer
  const again = questionOutput(node, turn.s.question);
  turn.outputs.push({ text: 'common:reprompt', choices: again.choices, question: again.question });
}
