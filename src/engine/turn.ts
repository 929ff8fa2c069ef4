import type { ChoiceSpec, EngineEvent, FlowNode, FlowSet, MenuNode, AskNode, NodeRef, Output, Session } from './engine.types';

/** The working state of one `step`: a private copy of the session plus what the step produced. */
export interface Turn {
  flowSet: FlowSet;
  /** the step's own draft of the session (its `history` array too): changed in place, never shared with the caller's. */
  s: Session;
  outputs: Output[];
  events: EngineEvent[];
  /** the shell's facts for this step (StepContext.facts). */
  facts: Record<string, string>;
}

export type WaitingNode = MenuNode | AskNode;

export const HISTORY_LIMIT = 10;
/** Longest message/action chain walked in one step before assuming a loop. */
export const MAX_CHAIN = 50;

export function isWaiting(node: FlowNode | undefined): node is WaitingNode {
  return !!node && (node.type === 'menu' || node.type === 'ask');
}

/**
 * The output that (re)asks a question: menus carry their choices, both carry the question number;
 * an ask for a phone number says so (a channel may offer to share her own number).
 */
export function questionOutput(node: WaitingNode, question: number, facts: Record<string, string>): Output {
  if (node.type === 'ask') {
    return node.validate.type === 'phone' ? { text: node.text, question, expects: 'phone' } : { text: node.text, question };
  }
  return { text: node.text, choices: shownChoices(node, facts).map((c) => ({ id: c.id, label: c.label })), question };
}

/**
 * The choices she sees, in order: those without `when`, and those whose fact the shell reported.
 * Showing, numbering and reading an answer all use this one list, so "2" means the same on every channel.
 */
export function shownChoices(node: MenuNode, facts: Record<string, string>): ChoiceSpec[] {
  return node.choices.filter((c) => c.when === undefined || Boolean(facts[c.when]));
}

/** Where to restart a conversation: the menu once a language is known, the language choice before. */
export function homeOrEntry(turn: Turn): NodeRef {
  return turn.s.language ? turn.flowSet.home : turn.flowSet.entry;
}
