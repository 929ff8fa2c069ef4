import type { Contact } from '../contacts/contact';
import type { Output } from '../engine/engine.types';
import type { InboundMessage } from './inbound-message';

/**
 * How a module beside the conversation shell takes part in a turn without the shell knowing it: it
 * declares `@TakesPartInTurns()` (facts, shortcuts) and `@OnContactEvent(...)` handlers
 * (contact-event.registry.ts). Outputs awaiting an event no module settled are dropped rather than
 * said without their outcome.
 */

export interface TurnContext {
  contact: Contact;
  msg: InboundMessage;
}

/** How an output awaiting an event is finally said: other params and/or another text; null drops it. */
export type Settlement = { text?: string; params?: Record<string, string | number> } | null;

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
