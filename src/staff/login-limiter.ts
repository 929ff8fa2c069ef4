import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';

/** The window failed logins are counted in. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export type LoginLimit = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Failed logins counted in Redis per account and per client address, in fixed 15-minute windows.
 * Over a limit, logins are refused for the rest of the window (HTTP 429) without checking the password;
 * nothing is ever locked: the window passes by itself, and a success clears the account's count.
 * Keys hold a hash of the e-mail, never the e-mail itself.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async check(email: string, address: string): Promise<LoginLimit> {
    const [account, client] = await Promise.all([this.redis.get(this.accountKey(email)), this.redis.get(this.addressKey(address))]);
    const over =
      Number(account ?? 0) >= this.config.staff.loginFailuresPerAccount
        ? this.accountKey(email)
        : Number(client ?? 0) >= this.config.staff.loginFailuresPerAddress
          ? this.addressKey(address)
          : undefined;
    if (!over) return { limited: false };
    const ttl = await this.redis.ttl(over);
    return { limited: true, retryAfterSeconds: ttl > 0 ? ttl : LOGIN_WINDOW_SECONDS };
  }

  async failed(email: string, address: string): Promise<void> {
    for (const key of [this.accountKey(email), this.addressKey(address)]) {
      const count = await this.redis.incr(key);
      if (count === 1) await this.redis.expire(key, LOGIN_WINDOW_SECONDS);
    }
  }

  async succeeded(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  private accountKey(email: string): string {
    return `${this.config.redis.prefix}:staff:login:account:${digest(email.trim().toLowerCase())}`;
  }

  private addressKey(address: string): string {
    return `${this.config.redis.prefix}:staff:login:address:${digest(address)}`;
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 32);
}
