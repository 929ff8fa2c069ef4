import { resolve } from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('which Redis the service uses', () => {
  it('with REDIS_URL unset: its own, on a unix socket in DATA_DIR/redis', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: './some-data' });
    expect(config.redis).toMatchObject({ embedded: true, url: `unix://${resolve('./some-data/redis')}/redis.sock` });
  });

  it('with REDIS_URL set: that server, nothing embedded', () => {
    expect(loadConfig({ NODE_ENV: 'development', REDIS_URL: 'redis://10.0.0.5:6380' }).redis).toMatchObject({ embedded: false, url: 'redis://10.0.0.5:6380' });
  });

  it('production refuses to start without REDIS_URL, naming the variable', () => {
    const production = { NODE_ENV: 'production', SIRA_ENCRYPTION_KEYS: 'k1:' + Buffer.alloc(32, 1).toString('base64'), SIRA_BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect(() => loadConfig(production)).toThrow(ConfigError);
    expect(() => loadConfig(production)).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ ...production, REDIS_URL: 'redis://redis:6379' })).not.toThrow();
  });
});

describe('which roles must sign in with a second factor', () => {
  it('takes any of the four roles, translators included, and names the choices when a role is unknown', () => {
    expect(loadConfig({ NODE_ENV: 'development', STAFF_2FA_REQUIRED_ROLES: 'translator,admin' }).staff.twoFactorRequiredRoles).toEqual(['translator', 'admin']);
    expect(() => loadConfig({ NODE_ENV: 'development', STAFF_2FA_REQUIRED_ROLES: 'admin,reviewer' })).toThrow(/agent,supervisor,admin,translator/);
  });
});
