import { createCipheriv, createDecipheriv, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { KeyRing } from './key-ring';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IVs drawn from the CSPRNG together (one call per this many encryptions instead of one each). */
const IVS_PER_DRAW = 256;

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt stored address: ${reason}`);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM for addresses at rest. A token reads `v1.<kid>.<iv>.<tag>.<ciphertext>` (base64url parts):
 * the key id lets an old key in the ring still decrypt after rotation. `context` is authenticated but not
 * stored (GCM additional data): bind a token to its row so a ciphertext copied into another row fails.
 */
@Injectable()
export class AddressCipher {
  /** every key of the ring as a KeyObject, made once (not re-imported from bytes by every cipher). */
  private readonly keyObjects: ReadonlyMap<string, KeyObject>;
  private readonly active: { kid: string; key: KeyObject };
  private readonly ivs = new IvSource();

  constructor(keys: KeyRing) {
    this.keyObjects = new Map(keys.encryptionKeys.map((k) => [k.kid, createSecretKey(k.key)]));
    this.active = { kid: keys.active.kid, key: this.keyObjects.get(keys.active.kid)! };
  }

  encrypt(plaintext: string, context = ''): { token: string; kid: string } {
    const { kid, key } = this.active;
    const iv = this.ivs.next();
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return { token: [VERSION, kid, ...parts].join('.'), kid };
  }

  decrypt(token: string, context = ''): string {
    const [version, kid, ivB64, tagB64, bodyB64, extra] = token.split('.');
    if (version !== VERSION || !kid || !ivB64 || !tagB64 || bodyB64 === undefined || extra !== undefined) {
      throw new DecryptionError('unknown format');
    }
    const key = this.keyObjects.get(kid);
    if (!key) throw new DecryptionError(`key ${kid} is not in the key ring`);
    const iv = Buffer.from(ivB64, 'base64url');
    const tag = Buffer.from(tagB64, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('malformed token');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyB64, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      // GCM authentication failed: wrong key, wrong context or a tampered token.
      throw new DecryptionError('authentication failed');
    }
  }

  /** The key id a token was encrypted under (to find rows still on a retired key). */
  static keyIdOf(token: string): string | undefined {
    const [version, kid] = token.split('.');
    return version === VERSION ? kid : undefined;
  }
}

/**
 * Random 96-bit GCM IVs cut in turn from a fresh block of CSPRNG bytes (as Node does for randomUUID):
 * the same randomness as one randomBytes(12) per encryption, for one call per 256. Every byte of a
 * block is used once and a used block is never refilled, so no IV is handed out twice.
 */
class IvSource {
  private block = Buffer.alloc(0);
  private offset = 0;

  next(): Buffer {
    if (this.offset + IV_BYTES > this.block.length) {
      this.block = randomBytes(IV_BYTES * IVS_PER_DRAW);
      this.offset = 0;
    }
    const iv = this.block.subarray(this.offset, this.offset + IV_BYTES);
    this.offset += IV_BYTES;
    return iv;
  }
}
