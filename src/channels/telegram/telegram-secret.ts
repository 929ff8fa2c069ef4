import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-Telegram-Bot-Api-Secret-Token` in constant time. Both sides are hashed first so the
 * comparison takes the same time whatever the length of what was sent.
 */
export function secretTokenMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
