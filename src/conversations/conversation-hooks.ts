import type { Contact } from '../contacts/contact';
import type { EngineEvent, Output, Session } from '../engine/engine.types';
import type { RedisClient } from '../redis/redis.module';
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

/** What one engine step did, for a participant that keeps aggregates (src/insights): no text she wrote. */
export interface SteppedTurn {
  /** her session before the step (null: none, a new conversation). */
  before: Session | null;
  after: Session;
  outputs: readonly Output[];
  events: readonly EngineEvent[];
  language: string;
  now: number;
}

/** A Redis transaction, as the turn's own (session and journal entry) is built. */
export type TurnTransaction = ReturnType<RedisClient['multi']>;

/**
 * Commands a participant adds to the turn's own Redis transaction (her session and the journal entry),
 * so observing a turn costs no round trip of its own.
 */
export type TurnWrite = (tx: TurnTransaction) => void;

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
