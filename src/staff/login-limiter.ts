import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';

/** The window failed sign-in attempts are counted in. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export type LoginLimit = { limited: false } | { limited: true; retryAfterSeconds: number };

/**
 * Counts an attempt on both counters and answers whether it may go on, in one step: 0, or the seconds
 * left in the window of the counter that is over its limit. Counting before the password is checked
 * is what keeps a burst of parallel attempts from all passing a limit that was read before any failed.
 */
const RESERVE = `
local pair = redis.call('INCR', KEYS[1])
if pair == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
local address = redis.call('INCR', KEYS[2])
if address == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
if pair > tonumber(ARGV[1]) then return math.max(redis.call('TTL', KEYS[1]), 1) end
if address > tonumber(ARGV[2]) then return math.max(redis.call('TTL', KEYS[2]), 1) end
return 0`;

/** A success takes its attempt back: the pair starts over and the address is not charged for it. */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
if (tonumber(redis.call('GET', KEYS[2]) or '0')) > 0 then redis.call('DECR', KEYS[2]) end
return 1`;

/**
 * Sign-in attempts (passwords and second-factor codes) counted in Redis per account-and-address pair
 * (STAFF_LOGIN_FAILURES_PER_ACCOUNT) and per address (STAFF_LOGIN_FAILURES_PER_ADDRESS), in fixed
 * 15-minute windows. Over a limit, the attempt is refused (HTTP 429) without checking anything.
 * The account is counted with the address it is tried from, so a stranger guessing from elsewhere
 * cannot lock a staff member out (docs/staff-roles.md). Keys hold hashes, never an e-mail or an address.
 */
@Injectable()
export class LoginLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Counts one attempt and says whether it may be checked; call before the password or the code. */
  async reserve(email: string, address: string): Promise<LoginLimit> {
    const { loginFailuresPerAccount, loginFailuresPerAddress } = this.config.staff;
    const wait = Number(
      await this.redis.eval(RESERVE, {
        keys: [this.pairKey(email, address), this.addressKey(address)],
        arguments: [String(loginFailuresPerAccount), String(loginFailuresPerAddress), String(LOGIN_WINDOW_SECONDS)],
      }),
    );
    return wait > 0 ? { limited: true, retryAfterSeconds: wait } : { limited: false };
  }

  async succeeded(email: string, address: string): Promise<void> {
    await this.redis.eval(SUCCEEDED, { keys: [this.pairKey(email, address), this.addressKey(address)] });
  }

  private pairKey(email: string, address: string): string {
    return `${this.config.redis.prefix}:staff:login:pair:${digest(`${email.trim().toLowerCase()}\u0000${address}`)}`;
  }

  private addressKey(address: string): string {
    return `${this.config.redis.prefix}:staff:login:address:${digest(address)}`;
  }
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 32);
}
