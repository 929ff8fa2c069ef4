import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DATABASE_HANDLE } from '../db/database.module';
import type { DatabaseHandle } from '../db/open-database';
import { SmsRedisKeys } from '../channels/sms/sms-redis-keys';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { REDIS, type RedisClient } from '../redis/redis.module';

/** A dependency that does not answer within this time counts as down (commands queue while offline). */
export const HEALTH_TIMEOUT_MS = 1_000;

/**
 * Readiness of the outside systems. The answer names the dependency and a fixed reason, never an
 * error message (a driver's message may quote a URL with its password).
 */
@Injectable()
export class DependencyHealth {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async redisReady() {
    const session = this.indicators.check('redis');
    if (!this.redis.isReady) return session.down({ reason: 'not connected' });
    const ok = await answersWithin(() => this.redis.ping());
    return ok ? session.up() : session.down({ reason: 'no answer' });
  }

  async databaseReady() {
    const session = this.indicators.check('database');
    const ok = await answersWithin(() => this.database.ping());
    return ok ? session.up({ kind: this.database.kind }) : session.down({ kind: this.database.kind, reason: 'no answer' });
  }

  /**
   * SMS accepted while the database was down and not yet handled. A non-empty spool does not make the
   * instance unready (it is exactly what lets it keep accepting); the depth is there to be watched.
   */
  async spoolDepth() {
    const session = this.indicators.check('spool');
    let depth: number | undefined;
    const ok = await answersWithin(async () => (depth = await this.redis.lLen(new SmsRedisKeys(this.config.redis.prefix).spool())));
    return ok ? session.up({ depth }) : session.up({ depth: 'unknown' });
  }
}

async function answersWithin(probe: () => Promise<unknown>, ms = HEALTH_TIMEOUT_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([probe().then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
