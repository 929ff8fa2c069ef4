/** The outbound queue asks this before queueing anything Sira sends on its own initiative. */
export const PROACTIVE_POLICY = Symbol('PROACTIVE_POLICY');

export interface ProactivePolicy {
  allows(contactId: string): Promise<boolean>;
}
