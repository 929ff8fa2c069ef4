/**
 * Builds every Redis key the conversation shell uses, under the configured prefix.
 * A key never holds a phone number or chat id: contacts are named by their blind index only,
 * and messages by the provider's own message id (Twilio MessageSid, Telegram update_id).
 */
export class RedisKeys {
  constructor(readonly prefix: string) {
    if (!/^[a-z0-9_-]+$/i.test(prefix)) throw new Error('Redis key prefix must be [a-z0-9_-]+');
  }

  /** the engine Session of one contact. */
  session(blindIndex: string): string {
    return `${this.prefix}:session:${checkIndex(blindIndex)}`;
  }

  /** the per-contact serialisation lock. */
  lock(blindIndex: string): string {
    return `${this.prefix}:lock:${checkIndex(blindIndex)}`;
  }

  /** de-duplication of one inbound provider message. */
  dedup(channel: string, providerMessageId: string): string {
    // provider ids are opaque tokens; encode so a ':' or space in one cannot collide with another key.
    return `${this.prefix}:dedup:${channel}:${encodeURIComponent(providerMessageId)}`;
  }

  /** the journal of one turn (its outcome, until its replies are queued; see TurnJournal). */
  turn(channel: string, providerMessageId: string): string {
    return `${this.prefix}:turn:${channel}:${encodeURIComponent(providerMessageId)}`;
  }

  /** pattern matching every key of this prefix (tests clean up with it; never used to flush). */
  all(): string {
    return `${this.prefix}:*`;
  }
}

/**
 * A blind index is an HMAC digest (hex or base64url). Refusing anything else catches the mistake of
 * passing a raw address here, which would put a phone number into Redis.
 */
function checkIndex(blindIndex: string): string {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(blindIndex) || /^\+?\d+$/.test(blindIndex)) {
    throw new Error('Redis keys take a blind index, not an address');
  }
  return blindIndex;
}
