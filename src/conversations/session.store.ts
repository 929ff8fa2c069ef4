import { Inject, Injectable, Logger } from '@nestjs/common';
import { SESSION_SCHEMA_VERSION, type Session } from '../engine/engine.types';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import type { SealedEntry } from './turn.journal';
import type { TurnWrite } from './conversation-hooks';
import { CONVERSATION_TIMINGS, type ConversationTimings } from './conversation.timings';

/**
 * Sessions are disposable: kept in Redis with a TTL, keyed by the contact's blind index. Losing one
 * only restarts her conversation at the menu, so anything unreadable is treated as "no session".
 */
@Injectable()
export class SessionStore {
  private readonly log = new Logger(SessionStore.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(CONVERSATION_TIMINGS) private readonly timings: ConversationTimings,
  ) {}

  async load(blindIndex: string): Promise<Session | null> {
    return this.parse(await this.redis.get(this.keys.session(blindIndex)));
  }

  /** Her session and another key (a turn's journal entry) in one round trip. */
  async loadWith(blindIndex: string, otherKey: string): Promise<{ session: Session | null; other: string | null }> {
    const [raw, other] = await this.redis.mGet([this.keys.session(blindIndex), otherKey]);
    return { session: this.parse(raw ?? null), other: other ?? null };
  }

  /** A stored session as read (or null); anything unreadable is no session. */
  parse(raw: string | null): Session | null {
    if (raw === null) return null;
    try {
      const session: unknown = JSON.parse(raw);
      if (isSessionShaped(session)) return session;
    } catch {
      // fall through: the content is never logged, it may hold her answers.
    }
    this.log.warn('unreadable session discarded; the conversation restarts');
    return null;
  }

  async save(blindIndex: string, session: Session): Promise<void> {
    await this.redis.set(this.keys.session(blindIndex), JSON.stringify(session), {
      expiration: { type: 'PX', value: this.ttlOf(session) },
    });
  }

  /**
   * Answers only live in a session while a request is unfinished (the engine forgets them when she
   * leaves, and the request takes them): such a session goes after RETENTION_ABANDONED_MINUTES.
   */
  ttlOf(session: Session): number {
    const holdsAnswers = Object.keys(session.vars ?? {}).length > 0;
    return holdsAnswers ? Math.min(this.timings.unfinishedTtlMs, this.timings.sessionTtlMs) : this.timings.sessionTtlMs;
  }

  /**
   * Saves the session and the turn's journal entry in one transaction: either both are there or neither,
   * so a replay never finds a moved-on session without the replies it owed.
   */
  async saveWithTurn(blindIndex: string, session: Session, turn: SealedEntry, writes: readonly TurnWrite[] = []): Promise<void> {
    const tx = this.redis
      .multi()
      .set(this.keys.session(blindIndex), JSON.stringify(session), { expiration: { type: 'PX', value: this.ttlOf(session) } })
      .set(turn.key, turn.value, { expiration: { type: 'PX', value: turn.ttlMs } });
    // participants' counters (src/insights) ride in the same transaction: no extra round trip
    for (const write of writes) write(tx);
    await tx.exec();
  }

  async delete(blindIndex: string): Promise<void> {
    await this.redis.del(this.keys.session(blindIndex));
  }
}

/**
 * Only the outer shape. A session of another schema version is passed on as it is: the engine
 * restarts it at the menu ("stale version") rather than misreading it.
 */
function isSessionShaped(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const s = value as Partial<Session>;
  if (typeof s.v !== 'number') return false;
  if (s.v !== SESSION_SCHEMA_VERSION) return true;
  return (
    typeof s.at === 'object' &&
    s.at !== null &&
    typeof s.at.flow === 'string' &&
    typeof s.at.node === 'string' &&
    Array.isArray(s.history) &&
    typeof s.vars === 'object' &&
    s.vars !== null
  );
}
