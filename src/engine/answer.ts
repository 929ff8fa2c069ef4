import type { ChoiceSpec, FlowSet, GlobalCommand, Input, KeypadKey, MenuNode } from './engine.types';
import { choiceByKeyword, commandTarget, matchCommand, nodeAt, targetOf } from './lookup';
import { normalizeText } from './normalize';
import { Turn, WaitingNode, homeOrEntry, isWaiting, questionOutput, shownChoices } from './turn';
import { validateAnswer } from './validators';
import { enter, goBack } from './walk';

export { matchCommand } from './lookup';

const MISSES_BEFORE_RESCUE = 3;

/** Reads her input as an answer to the question the session stands at. */
export function answer(turn: Turn, input: Exclude<Input, { kind: 'start' }>): void {
  const node = nodeAt(turn.flowSet, turn.s.at);
  if (!isWaiting(node)) return enter(turn, homeOrEntry(turn), false);
  if (input.kind === 'choice') return answerButton(turn, node, input);
  if (input.kind === 'keypad') return pressKey(turn, node, input.key);
  if (input.kind === 'voice_note') return heardVoiceNote(turn, node);
  const text = normalizeText(input.text);
  const command = matchCommand(turn.flowSet, text);
  if (command) return runCommand(turn, command);
  if (node.type === 'menu') {
    const choice = matchChoice(turn.flowSet, node, text, turn.facts);
    return choice ? choose(turn, node, choice) : miss(turn, node);
  }
  const value = validateAnswer(node.validate, input.text);
  if (value === null) return miss(turn, node);
  turn.s.vars = { ...turn.s.vars, [node.save_as]: value };
  turn.s.misses = 0;
  enter(turn, targetOf(turn.flowSet, turn.s.at.flow, node.next));
}

function answerButton(turn: Turn, node: WaitingNode, input: { question: number; choice: string }): void {
  if (node.type !== 'menu' || input.question !== turn.s.question) {
    // a button from an older message: say so and show the current question again, never jump
    turn.outputs.push({ text: 'common:stale_button' }, questionOutput(node, turn.s.question, turn.facts));
    return;
  }
  const choice = shownChoices(node, turn.facts).find((c) => c.id === input.choice);
  return choice ? choose(turn, node, choice) : miss(turn, node);
}

/** A keypad key with its own meaning: never a miss, never read as an answer. */
function pressKey(turn: Turn, node: WaitingNode, key: KeypadKey): void {
  if (key === 'home' || key === 'back') return runCommand(turn, key);
  turn.s.misses = 0;
  if (key === 'repeat') {
    turn.outputs.push(questionOutput(node, turn.s.question, turn.facts));
    return;
  }
  enter(turn, turn.flowSet.callback ?? turn.flowSet.home);
}

/** A voice note: never a miss, never an answer; the offer of listen mode, else the question again. */
function heardVoiceNote(turn: Turn, node: WaitingNode): void {
  if (!turn.flowSet.voiceNote) return pressKey(turn, node, 'repeat');
  turn.s.misses = 0;
  enter(turn, turn.flowSet.voiceNote);
}

export function runCommand(turn: Turn, command: GlobalCommand): void {
  turn.s.misses = 0;
  if (command === 'safety') turn.events.push({ type: 'distress_heard' });
  if (command === 'back') return goBack(turn);
  if (command === 'home') return enter(turn, turn.flowSet.home);
  enter(turn, commandTarget(turn.flowSet, command) ?? turn.flowSet.home);
}

/**
 * By displayed number (1-based), by label text in any language, or by a keyword in any language;
 * only among the choices shown with these facts (a hidden choice cannot be picked by its word either).
 */
export function matchChoice(flowSet: FlowSet, node: MenuNode, text: string, facts: Record<string, string> = {}): ChoiceSpec | undefined {
  if (!text) return undefined;
  const shown = shownChoices(node, facts);
  if (/^\d+$/.test(text)) {
    const index = Number(text) - 1;
    if (index >= 0 && index < shown.length) return shown[index];
  }
  const byWord = choiceByKeyword(flowSet, node, text);
  return byWord && shown.includes(byWord) ? byWord : undefined;
}

function choose(turn: Turn, node: MenuNode, choice: ChoiceSpec): void {
  turn.s.misses = 0;
  if (node.save_as) turn.s.vars = { ...turn.s.vars, [node.save_as]: choice.id };
  enter(turn, targetOf(turn.flowSet, turn.s.at.flow, choice.go));
}

function miss(turn: Turn, node: WaitingNode): void {
  turn.s.misses += 1;
  if (turn.s.misses >= MISSES_BEFORE_RESCUE) {
    turn.s.misses = 0;
    return enter(turn, turn.flowSet.rescue ?? turn.flowSet.home);
  }
  if (node.type === 'ask') {
    turn.outputs.push({ text: node.invalid }, questionOutput(node, turn.s.question, turn.facts));
    return;
  }
  // re-attach the choices so every channel shows what she can answer
  const again = questionOutput(node, turn.s.question, turn.facts);
  turn.outputs.push({ text: 'common:reprompt', choices: again.choices, question: again.question });
}
