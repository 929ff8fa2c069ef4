import { createHmac } from 'node:crypto';
import { base32 } from 'rfc4648';

/**
 * The 6-digit TOTP code of a base32 secret at `atMs` (RFC 6238 with SHA-1 and 30-second steps), written
 * from the RFC and not with the library the service uses, as an authenticator app would compute it.
 */
export function totpCode(secret: string, atMs: number, stepOffset = 0): string {
  const counter = Math.floor(atMs / 1000 / 30) + stepOffset;
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', Buffer.from(base32.parse(secret, { loose: true }))).update(message).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const value = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}
