import { Inject, Injectable, Logger } from '@nestjs/common';
import { AddressCipher } from '../crypto/address-cipher';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { CONVERSATION_TIMINGS, type ConversationTimings } from './conversation.timings';
import type { HandleResult } from './inbound-message';
import type { ChannelName } from '../common/channel-name';

/** What a turn decided, kept until its replies are queued: enough to hand them over again, no more. */
export interface JournalEntry {
  contactId: string;
  erased: boolean;
  result: HandleResult;
}

export interface SealedEntry {
  key: string;
  value: string;
  ttlMs: number;
}

/**
 * Makes a turn idempotent under the provider's message id. The outcome of a turn is written in the same
 * Redis transaction as the session it produced, and deleted when the message is marked done. If the turn
 * is cut in between (Redis killed, PostgreSQL gone while the replies were queued, the process died), the
 * provider's retry or the SMS spool finds the entry and hands the same replies over again, instead of
 * stepping the engine a second time from the session the first attempt already moved on.
 *
 * Entries hold her replies (texts keys and their params, such as a reference code), so they are
 * encrypted, bound to the message they answer.
 */
@Injectable()
export class TurnJournal {
  private readonly log = new Logger(TurnJournal.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(CONVERSATION_TIMINGS) private readonly timings: ConversationTimings,
  ) {}

  key(channel: ChannelName, providerMessageId: string): string {
    return this.keys.turn(channel, providerMessageId);
  }

  /** The value to store (see `SessionStore.saveWithTurn`), and how long it may live. */
  seal(channel: ChannelName, providerMessageId: string, { contactId, erased, result }: JournalEntry): SealedEntry {
    const entry: JournalEntry = { contactId, erased, result };
    const { token } = this.cipher.encrypt(JSON.stringify(entry), context(channel, providerMessageId));
    return { key: this.key(channel, providerMessageId), value: token, ttlMs: this.timings.dedupDoneMs };
  }

  /** Reads a raw value fetched with the session; undefined when absent or unreadable (then the turn runs). */
  open(channel: ChannelName, providerMessageId: string, raw: string | null): JournalEntry | undefined {
    if (raw === null) return undefined;
    try {
      const entry = JSON.parse(this.cipher.decrypt(raw, context(channel, providerMessageId))) as JournalEntry;
      if (typeof entry?.contactId === 'string' && typeof entry.erased === 'boolean' && Array.isArray(entry.result?.outputs)) return entry;
    } catch {
      // a removed key or a damaged value: running the turn again is the lesser harm
    }
    this.log.warn('unreadable turn journal entry ignored; the message is handled afresh');
    return undefined;
  }

  /** Records a turn that saved no session (her erasure): its confirmation is still replayable. */
  async write({ key, value, ttlMs }: SealedEntry): Promise<void> {
    await this.redis.set(key, value, { expiration: { type: 'PX', value: ttlMs } });
  }
}

function context(channel: ChannelName, providerMessageId: string): string {
  return `turn:${channel}:${providerMessageId}`;
}
