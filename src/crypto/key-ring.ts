import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Config } from '../config/config';

/** One AES-256-GCM key and the id written next to every ciphertext it produced. */
export interface EncryptionKey {
  kid: string;
  key: Buffer;
}

const KEY_BYTES = 32;
const KID_PATTERN = /^[a-z0-9_-]+$/i;

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/**
 * The keys protecting stored addresses. `encryptionKeys[0]` encrypts; every key in the ring decrypts,
 * so a rotated-out key stays usable for old rows. The blind-index key is separate: knowing it must not
 * help decrypt, and rotating encryption keys must not change the look-up index.
 */
export class KeyRing {
  readonly active: EncryptionKey;
  private readonly byKid: Map<string, EncryptionKey>;

  constructor(
    readonly encryptionKeys: readonly EncryptionKey[],
    readonly blindIndexKey: Buffer,
  ) {
    if (encryptionKeys.length === 0) throw new KeyRingError('at least one encryption key is required');
    for (const k of encryptionKeys) assertKey(k.key, `encryption key ${k.kid}`);
    assertKey(blindIndexKey, 'blind-index key');
    this.byKid = new Map(encryptionKeys.map((k) => [k.kid, k]));
    if (this.byKid.size !== encryptionKeys.length) throw new KeyRingError('duplicate encryption key id');
    this.active = encryptionKeys[0];
  }

  /** The key with this id, or undefined when it has left the ring. */
  find(kid: string): EncryptionKey | undefined {
    return this.byKid.get(kid);
  }

  /** Parses `kid:base64[,kid:base64]` (the SIRA_ENCRYPTION_KEYS format). */
  static parseEncryptionKeys(spec: string): EncryptionKey[] {
    return spec.split(',').map((part) => {
      const [kid, b64, extra] = part.trim().split(':');
      if (!kid || !b64 || extra !== undefined || !KID_PATTERN.test(kid)) {
        throw new KeyRingError('encryption keys must look like kid:base64key[,kid:base64key]');
      }
      return { kid, key: Buffer.from(b64, 'base64') };
    });
  }

  /**
   * Keys from configuration. Outside production, whatever is missing comes from a local key file,
   * created on first use, with one warning; production never invents keys.
   */
  static fromConfig(config: Config, logger: Pick<Logger, 'warn'> = new Logger(KeyRing.name)): KeyRing {
    const { encryptionKeys, blindIndexKey, keyFile } = config.keys;
    if (encryptionKeys && blindIndexKey) {
      return new KeyRing(KeyRing.parseEncryptionKeys(encryptionKeys), Buffer.from(blindIndexKey, 'base64'));
    }
    if (config.production) {
      throw new KeyRingError('SIRA_ENCRYPTION_KEYS and SIRA_BLIND_INDEX_KEY are required in production');
    }
    const local = loadOrCreateKeyFile(keyFile);
    logger.warn(
      `Development keys in use (${keyFile}): stored addresses are protected by a locally generated key. ` +
        'Set SIRA_ENCRYPTION_KEYS and SIRA_BLIND_INDEX_KEY for real data.',
    );
    return new KeyRing(
      encryptionKeys ? KeyRing.parseEncryptionKeys(encryptionKeys) : local.encryptionKeys,
      blindIndexKey ? Buffer.from(blindIndexKey, 'base64') : local.blindIndexKey,
    );
  }

  /** A fresh random ring (tests, key generation). */
  static generate(kid = 'k1'): KeyRing {
    return new KeyRing([{ kid, key: randomBytes(KEY_BYTES) }], randomBytes(KEY_BYTES));
  }
}

interface KeyFileJson {
  encryptionKeys: { kid: string; key: string }[];
  blindIndexKey: string;
}

function loadOrCreateKeyFile(path: string): { encryptionKeys: EncryptionKey[]; blindIndexKey: Buffer } {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const fresh: KeyFileJson = {
      encryptionKeys: [{ kid: `dev${Date.now().toString(36)}`, key: randomBytes(KEY_BYTES).toString('base64') }],
      blindIndexKey: randomBytes(KEY_BYTES).toString('base64'),
    };
    // 'wx' refuses to overwrite a file another process created in the meantime: its keys win.
    try {
      writeFileSync(path, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  let json: KeyFileJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as KeyFileJson;
  } catch {
    throw new KeyRingError(`key file ${path} is unreadable or not JSON`);
  }
  if (!Array.isArray(json.encryptionKeys) || typeof json.blindIndexKey !== 'string') {
    throw new KeyRingError(`key file ${path} lacks encryptionKeys or blindIndexKey`);
  }
  return {
    encryptionKeys: json.encryptionKeys.map((k) => ({ kid: k.kid, key: Buffer.from(k.key, 'base64') })),
    blindIndexKey: Buffer.from(json.blindIndexKey, 'base64'),
  };
}

function assertKey(key: Buffer, what: string): void {
  if (key.length !== KEY_BYTES) throw new KeyRingError(`${what} must be ${KEY_BYTES} bytes (base64 of 32 random bytes)`);
}
