import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config';
import { KeyRing, KeyRingError } from './key-ring';

const b64 = () => randomBytes(32).toString('base64');

describe('KeyRing', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'sira-keyring-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses configured keys, the first one being active, without any warning', () => {
    const [k1, k2, bi] = [b64(), b64(), b64()];
    const warn = jest.fn();
    const config = loadConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379', DATA_DIR: dir, SIRA_ENCRYPTION_KEYS: `new:${k1},old:${k2}`, SIRA_BLIND_INDEX_KEY: bi });
    const ring = KeyRing.fromConfig(config, { warn });
    expect(ring.active.kid).toBe('new');
    expect(ring.find('old')?.key.toString('base64')).toBe(k2);
    expect(ring.blindIndexKey.toString('base64')).toBe(bi);
    expect(warn).not.toHaveBeenCalled();
  });

  it('in development generates a private key file once, warns, and reuses it on the next start', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATA_DIR: join(dir, 'nested', 'data') });
    const warn = jest.fn();
    const first = KeyRing.fromConfig(config, { warn });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/Development keys in use/);
    expect(statSync(config.keys.keyFile).mode & 0o777).toBe(0o600);
    const again = KeyRing.fromConfig(config, { warn: jest.fn() });
    expect(again.active.key.equals(first.active.key)).toBe(true);
    expect(again.blindIndexKey.equals(first.blindIndexKey)).toBe(true);
    expect(JSON.parse(readFileSync(config.keys.keyFile, 'utf8')).encryptionKeys).toHaveLength(1);
  });

  it('never generates keys in production', () => {
    const config = { ...loadConfig({ NODE_ENV: 'development', DATA_DIR: dir }), production: true };
    expect(() => KeyRing.fromConfig(config, { warn: jest.fn() })).toThrow(KeyRingError);
    expect(() => statSync(config.keys.keyFile)).toThrow();
  });

  it.each([
    ['a key of the wrong length', () => new KeyRing([{ kid: 'a', key: randomBytes(16) }], randomBytes(32))],
    ['no encryption key', () => new KeyRing([], randomBytes(32))],
    ['a duplicate key id', () => new KeyRing([{ kid: 'a', key: randomBytes(32) }, { kid: 'a', key: randomBytes(32) }], randomBytes(32))],
    ['a malformed key list', () => KeyRing.parseEncryptionKeys('nokid')],
  ])('refuses %s', (_label, build) => {
    expect(build).toThrow(KeyRingError);
  });
});
