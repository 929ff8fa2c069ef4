import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries the metrics token as a bearer token (RFC 6750). Both sides
 * are hashed first, so the comparison takes the same time whatever was sent and however long it is.
 */
export function bearerMatches(expected: string, header: unknown): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(match[1]!, 'utf8').digest();
  return timingSafeEqual(a, b);
}
