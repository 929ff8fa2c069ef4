import { Inject, Injectable, Logger } from '@nestjs/common';
import { SESSION_SCHEMA_VERSION, type Session } from '../engine/engine.types';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
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
    const raw = await this.redis.get(this.keys.session(blindIndex));
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
      expiration: { type: 'PX', value: this.timings.sessionTtlMs },
    });
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
