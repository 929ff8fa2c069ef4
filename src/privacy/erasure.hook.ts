import type { Contact } from '../contacts/contact';
import type { InboundMessage } from '../conversations/inbound-message';
import type { EngineEvent } from '../engine/engine.types';

/**
 * Injection token of the privacy module's part in a turn. The conversation shell calls `beforeErase`
 * while her rows still exist (so provider message ids can be read before the cascade deletes them),
 * just before it deletes the contact; and `apply` for the privacy events it does not handle itself
 * (consent withdrawn, proactive messages on/off). Optional: without it, erasure is rows + session only.
 */
export const ERASURE_HOOK = Symbol('ERASURE_HOOK');

export interface ErasureContext {
  contact: Contact;
  msg: InboundMessage;
  blindIndex: string;
}

export interface ErasureHook {
  /** Never throws: a failure here must not stop the erasure itself. */
  beforeErase(ctx: ErasureContext): Promise<void>;
  /** Applies a privacy event; returns the contact after it (undefined: unchanged / not a privacy event). */
  apply?(event: EngineEvent, ctx: ErasureContext): Promise<Contact | undefined>;
}

/** The outbound queue asks this before queueing anything Sira sends on its own initiative. */
export const PROACTIVE_POLICY = Symbol('PROACTIVE_POLICY');

export interface ProactivePolicy {
  allows(contactId: string): Promise<boolean>;
}
