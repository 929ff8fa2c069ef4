import { Logger } from '@nestjs/common';
import type { NodeEnv } from '../config/config';

/**
 * Redis holds the SMS spool, the BullMQ jobs and the de-dup keys. With an eviction policy Redis may
 * silently delete a queued reply or a spooled SMS under memory pressure; without AOF (fsync every
 * second) a restart loses everything written since the last snapshot. Both are settings of the
 * server, so they are checked at boot: production refuses to start, development only warns.
 */
export interface RedisSettings {
  maxmemoryPolicy?: string;
  appendonly?: string;
  appendfsync?: string;
}

/** The minimal client surface the check needs (node-redis `configGet`). */
export interface ConfigReader {
  configGet(parameter: string): Promise<Record<string, string>>;
}

export class RedisSettingsError extends Error {
  constructor(problems: string[]) {
    super(`Redis is not safe for production: ${problems.join('; ')}. See docs/operations.md`);
    this.name = 'RedisSettingsError';
  }
}

/** What is wrong with these settings (empty when they are safe). */
export function redisSettingProblems(settings: RedisSettings): string[] {
  const problems: string[] = [];
  if (settings.maxmemoryPolicy !== 'noeviction') {
    problems.push(`maxmemory-policy is "${settings.maxmemoryPolicy ?? 'unknown'}", needs "noeviction"`);
  }
  if (settings.appendonly !== 'yes') problems.push('appendonly is off, needs "yes"');
  else if (settings.appendfsync !== 'everysec' && settings.appendfsync !== 'always') {
    problems.push(`appendfsync is "${settings.appendfsync ?? 'unknown'}", needs "everysec"`);
  }
  return problems;
}

/** Reads the three settings; undefined when CONFIG GET is not allowed (some managed services). */
export async function readRedisSettings(client: ConfigReader): Promise<RedisSettings | undefined> {
  try {
    const [policy, aof, fsync] = await Promise.all([
      client.configGet('maxmemory-policy'),
      client.configGet('appendonly'),
      client.configGet('appendfsync'),
    ]);
    return { maxmemoryPolicy: policy['maxmemory-policy'], appendonly: aof['appendonly'], appendfsync: fsync['appendfsync'] };
  } catch {
    return undefined;
  }
}

const log = new Logger('RedisSettings');

/**
 * Refuses (throws) in production when Redis is unsafe, warns otherwise. A server that does not let us
 * read its configuration is reported but not refused: the operator has to vouch for it (see the docs).
 */
export async function checkRedisSettings(client: ConfigReader, env: NodeEnv, logger: Pick<Logger, 'warn'> = log): Promise<string[]> {
  const settings = await readRedisSettings(client);
  if (!settings) {
    logger.warn('could not read the Redis configuration (CONFIG GET refused): make sure it has maxmemory-policy noeviction and appendfsync everysec');
    return [];
  }
  const problems = redisSettingProblems(settings);
  if (problems.length === 0) return problems;
  if (env === 'production') throw new RedisSettingsError(problems);
  logger.warn(`Redis settings are fine for development only: ${problems.join('; ')} (production refuses to start; see docs/operations.md)`);
  return problems;
}
