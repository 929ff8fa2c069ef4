import type { Contact } from '../contacts/contact';
import type { EngineEvent, Output } from '../engine/engine.types';
import type { InboundMessage } from './inbound-message';

/**
 * How a module beside the conversation shell (the callback requests) takes part in a turn without
 * the shell knowing it: facts for the engine, a reply that needs no engine step, and the events only
 * it can apply. Provided under CONVERSATION_HOOKS by that module; optional (absent: no facts, no
 * shortcut, and outputs awaiting its events are dropped rather than said without their outcome).
 */
export const CONVERSATION_HOOKS = Symbol('CONVERSATION_HOOKS');

export interface TurnContext {
  contact: Contact;
  msg: InboundMessage;
}

/** How an output awaiting an event is finally said: other params and/or another text; null drops it. */
export type Settlement = { text?: string; params?: Record<string, string | number> } | null;

export interface ConversationHooks {
  /** plain facts for the engine (StepContext.facts), read before the step. */
  facts(ctx: TurnContext): Promise<Record<string, string>>;
  /** outputs that answer the message without an engine step (e.g. a status word + code), or null. */
  intercept(ctx: TurnContext): Promise<Output[] | null>;
  /** applies an event the shell does not know; the settlement of the outputs awaiting it. Never throws. */
  apply(event: EngineEvent, ctx: TurnContext): Promise<Settlement | undefined>;
}

/** Replaces every output that awaits an event by its settlement; unsettled ones are dropped. */
export function settleOutputs(outputs: Output[], settled: ReadonlyMap<number, Settlement | undefined>): Output[] {
  const out: Output[] = [];
  for (const o of outputs) {
    if (o.awaits === undefined) {
      out.push(o);
      continue;
    }
    const s = settled.get(o.awaits);
    if (!s) continue;
    const { awaits: _awaits, ...rest } = o;
    const params = { ...rest.params, ...s.params };
    out.push({ ...rest, text: s.text ?? rest.text, ...(Object.keys(params).length ? { params } : {}) });
  }
  return out;
}
