import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the raw body under the app secret. */
export const WHATSAPP_SIGNATURE_HEADER = 'x-hub-signature-256';
export const WHATSAPP_SIGNATURE_SHAPE = /^sha256=[0-9a-f]{64}$/;

/** The header Meta would send for this body (tests sign with it too). */
export function whatsappSignature(appSecret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Checks Meta's signature over the exact bytes received, in constant time. No secret, no body or a
 * header of the wrong shape is a refusal, never a pass.
 */
export function whatsappSignatureMatches(appSecret: string | undefined, rawBody: Buffer | undefined, header: unknown): boolean {
  if (!appSecret || !rawBody || typeof header !== 'string' || !WHATSAPP_SIGNATURE_SHAPE.test(header)) return false;
  const expected = Buffer.from(whatsappSignature(appSecret, rawBody), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The verify token of Meta's subscription check, compared in constant time (both sides hashed first). */
export function verifyTokenMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== 'string' || given.length === 0) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
