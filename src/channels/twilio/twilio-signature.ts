import { timingSafeEqual } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

/**
 * Whether `header` is Twilio's signature of this request: HMAC-SHA1 (auth token) of the URL Twilio
 * was configured with — PUBLIC_BASE_URL + path, never the Host header, which a client controls —
 * followed by the sorted form parameters. Compared in constant time.
 */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, unknown>,
  header: string | string[] | undefined,
): boolean {
  if (typeof header !== 'string' || header.length === 0 || header.length > 256) return false;
  const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, params), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
