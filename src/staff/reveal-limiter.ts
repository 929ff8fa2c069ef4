import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { Clock } from '../common/clock';
import type { Config } from '../config/config';
import type { RedisClient } from '../redis/redis.module';

const HOUR_MS = 3_600_000;

export type RevealCount = { allowed: true; count: number } | { allowed: false; count: number; retryAfterSeconds: number };

/**
 * Numbers revealed per staff account, counted in Redis in fixed clock hours
 * (`<prefix>:staff:reveals:<staffId>:<hour>`): INCR and EXPIRE in one MULTI, before the number is
 * decrypted. Over `STAFF_REVEALS_PER_HOUR` the reveal is refused until the hour ends (refusals count too,
 * but the key never outlives its hour). Every role is counted: a supervisor can reveal any open request.
 */
export class RevealLimiter {
  constructor(
    private readonly redis: RedisClient,
    private readonly config: Pick<Config, 'redis' | 'staff'>,
    private readonly clock: Clock,
  ) {}

  async count(staffId: string): Promise<RevealCount> {
    const now = this.clock.now();
    const hour = Math.floor(now / HOUR_MS);
    const key = `${this.config.redis.prefix}:staff:reveals:${staffId}:${hour}`;
    const retryAfterSeconds = Math.max(1, Math.ceil(((hour + 1) * HOUR_MS - now) / 1000));
    // the key lives one hour past its own (a skewed clock between instances never reopens it early)
    const [count] = await this.redis.multi().incr(key).expire(key, 2 * 3600, 'NX').exec();
    const n = Number(count);
    return n <= this.config.staff.revealsPerHour ? { allowed: true, count: n } : { allowed: false, count: n, retryAfterSeconds };
  }
}

/** 429 with the seconds until the hour ends (the controllers set `Retry-After` from it). */
export class RevealLimitedException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      { statusCode: HttpStatus.TOO_MANY_REQUESTS, message: 'too many numbers revealed this hour: supervisors have been alerted; wait and retry', retryAfterSeconds },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/** Awaits a reveal; over the limit, sets `Retry-After` on the response before the 429 goes out. */
export async function retryAfterOnLimit<T>(res: Response, reveal: Promise<T>): Promise<T> {
  try {
    return await reveal;
  } catch (err) {
    if (err instanceof RevealLimitedException) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    throw err;
  }
}
