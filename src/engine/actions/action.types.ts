import type { ActionSpec, ActionType, EngineEvent, FlowSet, Output, Session, Target } from '../engine.types';

/** What an action sees: the session draft of this step (actions may change it) and the flow set. */
export interface ActionState {
  flowSet: FlowSet;
  session: Session;
  /** id of the flow the action node belongs to (relative targets resolve against it). */
  flow: string;
  /** the shell's facts for this step (StepContext.facts). */
  facts: Record<string, string>;
}

export interface ActionOutcome {
  events: EngineEvent[];
  /** texts said right here; `awaits` indexes this outcome's own `events` (the engine re-bases it). */
  outputs?: Output[];
  /** jump here instead of the node's `next` (resolved relative to the current flow). */
  jump?: Target;
  /** the conversation ends here: the session is marked `ended`. */
  end?: boolean;
}

export type SpecOf<T extends ActionType> = Extract<ActionSpec, { type: T }>;

/**
 * One action type: how it runs, and what the content check must know about it. Modelled on
 * goflow's one-file-per-action layout so adding an action is adding a file and a test table.
 */
export interface ActionDefinition<T extends ActionType = ActionType> {
  type: T;
  run(spec: SpecOf<T>, state: ActionState): ActionOutcome;
  /** jump targets written in the spec, checked like any other target. */
  targets?(spec: SpecOf<T>): Target[];
  /** i18n keys the spec names (checked against the base language like any node text). */
  keys?(spec: SpecOf<T>): string[];
  /** problems with the spec's own fields (exact wording, no file/node prefix). */
  check?(spec: SpecOf<T>, ctx: { languages: string[] }): string[];
  /** true when the action never continues to `next` (it jumps or ends). */
  leaves: boolean;
}
