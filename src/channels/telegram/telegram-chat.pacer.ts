import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { RedisKeys } from '../../redis/redis-keys';

/** Telegram's limits: about 30 messages a second overall, one a second in one chat (short bursts tolerated). */
export interface TelegramPacing {
  perSecond: number;
  perChatIntervalMs: number;
  /** messages that may leave back to back in one chat (a reply is often a text and a question). */
  perChatBurst: number;
}

export const TELEGRAM_PACING = Symbol('TELEGRAM_PACING');
export const DEFAULT_TELEGRAM_PACING: TelegramPacing = { perSecond: 30, perChatIntervalMs: 1000, perChatBurst: 3 };

// GCRA: the key holds the "theoretical arrival time" of the next message. Time comes from Redis, so
// every process paces against one clock. Returns 0 (go, slot taken) or the milliseconds to wait.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (burst - 1) * interval
if wait > 0 then return wait end
redis.call('SET', KEYS[1], tat + interval, 'PX', tat + interval - now + 1000)
return 0`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Per-chat pacing across processes, keyed by the chat's blind index (never the chat id). */
@Injectable()
export class TelegramChatPacer {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(TELEGRAM_PACING) private readonly pacing: TelegramPacing,
  ) {}

  /** Resolves when a message may be sent to this chat, having taken its slot. */
  async waitForSlot(chatIndex: string): Promise<void> {
    const key = `${this.keys.prefix}:telegram:pace:${chatIndex}`;
    for (;;) {
      const wait = Number(
        await this.redis.eval(RESERVE, { keys: [key], arguments: [String(this.pacing.perChatIntervalMs), String(this.pacing.perChatBurst)] }),
      );
      if (wait <= 0) return;
      await sleep(wait);
    }
  }
}
