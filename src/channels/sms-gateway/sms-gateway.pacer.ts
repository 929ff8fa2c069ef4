import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { REDIS, type RedisClient } from '../../redis/redis.module';

// Books the next free slot of one SIM atomically (every process shares it): returns when it starts.
const RESERVE = `
local now = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, free)
redis.call('SET', KEYS[1], tostring(start + cost), 'PX', math.ceil(start + cost - now) + 1000)
return tostring(start)`;

/**
 * Paces each relay SIM on its own: after a message of n segments the SIM rests n intervals
 * (SMS_GATEWAY_SEGMENTS_PER_MINUTE, or the line's own). Android counts what an app sends and, past its
 * limit (`sms_outgoing_check_max_count` per `sms_outgoing_check_interval_ms`), holds every SMS for a
 * confirmation on the phone's screen; carriers block SIMs that send like machines. The queue's own
 * pacing (SMS_SEGMENTS_PER_SECOND) still applies on top.
 */
@Injectable()
export class SmsGatewayPacer {
  private readonly prefix: string;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
  ) {
    this.prefix = config.redis.prefix;
  }

  /** Waits for the SIM's turn and books `segments` intervals from then on. */
  async waitTurn(line: string, segments: number, intervalMs: number): Promise<void> {
    const now = Date.now();
    const cost = Math.max(segments, 1) * intervalMs;
    const start = Number(await this.redis.eval(RESERVE, { keys: [`${this.prefix}:sms-gateway:next-slot:${line}`], arguments: [String(now), String(cost)] }));
    const wait = start - now;
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
  }
}
