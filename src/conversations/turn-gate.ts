import { Inject, Injectable } from '@nestjs/common';
import type { ChannelName } from '../common/channel-name';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { CONVERSATION_TIMINGS, type ConversationTimings } from './conversation.timings';

/**
 * A turn's way in, in one Redis round trip: claim the message id (the de-dup lease), take the contact's
 * lock, and read her session and the turn's journal entry. One script because each step depends on the
 * one before (MULTI cannot claim conditionally): no lock without the claim, no read without the lock.
 */
const BEGIN = `
if not redis.call('SET', KEYS[1], 'lease', 'NX', 'PX', ARGV[1]) then
  return {'held', redis.call('GET', KEYS[1])}
end
if not redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return {'claimed'} end
return {'ready', redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4])}
`;

/** The way out, in one round trip: the id marked done, its journal entry dropped, the lock given back (if still hers). */
const FINISH = `
redis.call('SET', KEYS[1], 'done', 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
return 1
`;

export type Begun =
  /** lease and lock taken; her session and the journal entry as stored (null when absent). */
  | { state: 'ready'; session: string | null; journal: string | null }
  /** the lease is ours, the lock is another message's: wait for it. */
  | { state: 'claimed' }
  /** the id is done ('done') or in flight elsewhere ('lease'), or vanished between the two reads (null). */
  | { state: 'held'; dedup: string | null };

@Injectable()
export class TurnGate {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(CONVERSATION_TIMINGS) private readonly timings: ConversationTimings,
  ) {}

  /** Sends its command at once (no await before it): commands issued in the same tick share the trip. */
  async begin(channel: ChannelName, providerMessageId: string, blindIndex: string, lockToken: string): Promise<Begun> {
    const keys = [this.keys.dedup(channel, providerMessageId), this.keys.lock(blindIndex), this.keys.session(blindIndex), this.keys.turn(channel, providerMessageId)];
    const args = [String(this.timings.dedupLeaseMs), lockToken, String(this.timings.lockLeaseMs)];
    const reply = (await this.redis.eval(BEGIN, { keys, arguments: args })) as [string, (string | null)?, (string | null)?];
    if (reply[0] === 'ready') return { state: 'ready', session: reply[1] ?? null, journal: reply[2] ?? null };
    if (reply[0] === 'claimed') return { state: 'claimed' };
    return { state: 'held', dedup: reply[1] ?? null };
  }

  async finish(channel: ChannelName, providerMessageId: string, blindIndex: string, lockToken: string): Promise<void> {
    const keys = [this.keys.dedup(channel, providerMessageId), this.keys.turn(channel, providerMessageId), this.keys.lock(blindIndex)];
    await this.redis.eval(FINISH, { keys, arguments: [String(this.timings.dedupDoneMs), lockToken] });
  }
}
