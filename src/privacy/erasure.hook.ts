import type { Contact } from '../contacts/contact';
import type { InboundMessage } from '../conversations/inbound-message';

/**
 * Injection token of the privacy module's part in an erasure. The conversation shell calls it while
 * her rows still exist (so provider message ids can be read before the cascade deletes them), just
 * before it deletes the contact. Optional: without it, erasure is rows + session only.
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
}
