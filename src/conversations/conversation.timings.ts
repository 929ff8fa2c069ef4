import { DEFAULT_EXPIRY_MS } from '../engine/engine.types';

/** Injection token of the `ConversationTimings` (tests shorten them to watch leases expire). */
export const CONVERSATION_TIMINGS = Symbol('CONVERSATION_TIMINGS');

export interface ConversationTimings {
  /** how long a claimed provider message id blocks its duplicates while it is being handled. */
  dedupLeaseMs: number;
  /** how long a handled provider message id is remembered (providers redeliver for about a day). */
  dedupDoneMs: number;
  /** lifetime of the contact lock unless renewed; renewed every third of it while held. */
  lockLeaseMs: number;
  /** how long a message waits for its contact's lock before giving up (the provider then retries). */
  lockWaitMs: number;
  /** Redis TTL of a session: the engine's longest idle expiry plus a margin, then Redis forgets it. */
  sessionTtlMs: number;
  /**
   * Redis TTL of a session that holds answers of an unfinished request (RETENTION_ABANDONED_MINUTES):
   * if she stops midway, Redis itself forgets the number she typed.
   */
  unfinishedTtlMs: number;
}

export const DEFAULT_TIMINGS: ConversationTimings = {
  dedupLeaseMs: 10_000,
  dedupDoneMs: 48 * 60 * 60 * 1000,
  lockLeaseMs: 10_000,
  lockWaitMs: 10_000,
  sessionTtlMs: DEFAULT_EXPIRY_MS + 60 * 60 * 1000,
  unfinishedTtlMs: 60 * 60 * 1000,
};

/** The timings with the configured retention of unfinished requests. */
export function conversationTimings(config: { privacy: { retention: { abandonedMs: number } } }): ConversationTimings {
  return { ...DEFAULT_TIMINGS, unfinishedTtlMs: config.privacy.retention.abandonedMs };
}
