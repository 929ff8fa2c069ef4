import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether a webhook carries the app's signature: `X-Signature` is the hex HMAC-SHA256, under the
 * phone's signing key, of the raw body followed by `X-Timestamp` (Unix seconds). A timestamp
 * outside the replay window is refused even with a valid signature, so a recorded request cannot be
 * played again later. Compared in constant time.
 */
export function isValidSmsGatewaySignature(
  signingKey: string,
  rawBody: Buffer | undefined,
  timestamp: string | string[] | undefined,
  signature: string | string[] | undefined,
  nowMs: number,
  toleranceMs: number,
): boolean {
  if (!rawBody || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (!/^\d{1,12}$/.test(timestamp) || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return false;
  const expected = createHmac('sha256', signingKey).update(rawBody).update(timestamp, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** The signature the app would send (tests and the fake phone use it). */
export function signSmsGatewayBody(signingKey: string, body: string, timestamp: string): string {
  return createHmac('sha256', signingKey).update(body, 'utf8').update(timestamp, 'utf8').digest('hex');
}
