import { checkRedisSettings, redisSettingProblems, RedisSettingsError, type ConfigReader } from './redis-settings.check';

/** A Redis whose CONFIG GET answers from a table (the real command's reply shape). */
function redisWith(values: Record<string, string>): ConfigReader {
  return { configGet: async (p: string) => (p in values ? { [p]: values[p]! } : {}) };
}

const SAFE = { 'maxmemory-policy': 'noeviction', appendonly: 'yes', appendfsync: 'everysec' };

describe('Redis start-up settings check', () => {
  it('accepts noeviction with AOF fsync every second (or always)', async () => {
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: 'yes', appendfsync: 'everysec' })).toEqual([]);
    expect(redisSettingProblems({ maxmemoryPolicy: 'noeviction', appendonly: 'yes', appendfsync: 'always' })).toEqual([]);
    await expect(checkRedisSettings(redisWith(SAFE), 'production')).resolves.toEqual([]);
  });

  it('refuses to start in production when Redis may evict keys or keeps no AOF', async () => {
    const evicting = redisWith({ ...SAFE, 'maxmemory-policy': 'allkeys-lru' });
    await expect(checkRedisSettings(evicting, 'production')).rejects.toThrow(RedisSettingsError);
    await expect(checkRedisSettings(evicting, 'production')).rejects.toThrow(/maxmemory-policy is "allkeys-lru", needs "noeviction"/);
    const noAof = redisWith({ ...SAFE, appendonly: 'no' });
    await expect(checkRedisSettings(noAof, 'production')).rejects.toThrow(/appendonly is off/);
    const lazyFsync = redisWith({ ...SAFE, appendfsync: 'no' });
    await expect(checkRedisSettings(lazyFsync, 'production')).rejects.toThrow(/appendfsync is "no", needs "everysec"/);
  });

  it('only warns in development, naming every problem once', async () => {
    const warnings: string[] = [];
    const problems = await checkRedisSettings(redisWith({ 'maxmemory-policy': 'volatile-lru', appendonly: 'no', appendfsync: 'everysec' }), 'development', {
      warn: (m: string) => void warnings.push(m),
    });
    expect(problems).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/noeviction.*appendonly/);
  });

  it('warns but does not refuse when CONFIG GET is not allowed (managed Redis)', async () => {
    const warnings: string[] = [];
    const locked: ConfigReader = { configGet: () => Promise.reject(new Error('ERR unknown command')) };
    await expect(checkRedisSettings(locked, 'production', { warn: (m: string) => void warnings.push(m) })).resolves.toEqual([]);
    expect(warnings[0]).toMatch(/could not read the Redis configuration/);
  });
});
