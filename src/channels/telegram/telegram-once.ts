import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { RedisKeys } from '../../redis/redis-keys';

/**
 * "Do this once" markers in Redis, for the Telegram effects that do not go through the conversation
 * service (the hint after a sticker, the goodbye in a group). Names are update ids or blind indexes,
 * never a chat id.
 */
@Injectable()
export class TelegramOnce {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
  ) {}

  /** true for the first caller with this name within `ttlMs`. */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    if (!/^[A-Za-z0-9_:-]{1,160}$/.test(name)) throw new Error('once-marker names are ids, not free text');
    const reply = await this.redis.set(`${this.keys.prefix}:telegram:once:${name}`, '1', {
      condition: 'NX',
      expiration: { type: 'PX', value: ttlMs },
    });
    return reply === 'OK';
  }

  async forget(name: string): Promise<void> {
    await this.redis.del(`${this.keys.prefix}:telegram:once:${name}`);
  }
}
