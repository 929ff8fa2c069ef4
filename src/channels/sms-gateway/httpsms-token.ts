import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether an httpSMS webhook carries a token signed with the phone's signing key. httpSMS sends
 * `Authorization: Bearer <JWT>`, HS256 under the webhook's signing key, its audience the webhook URL,
 * valid from 10 minutes before to 10 minutes after it was made (`nbf`, `exp`). The token does not
 * cover the body, so the audience must be this very URL and the time window is checked (with the
 * relay's tolerance for a phone's clock); only HS256 is accepted (never `none`). Constant-time compare.
 */
export function isValidHttpSmsToken(signingKey: string, authorization: string | string[] | undefined, audience: string, nowMs: number, toleranceMs: number): boolean {
  if (typeof authorization !== 'string') return false;
  const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match) return false;
  const [, header, payload, signature] = match;
  const expected = createHmac('sha256', signingKey).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(expected, given)) return false;
  const head = decode(header!);
  const claims = decode(payload!);
  if (!head || !claims || head.alg !== 'HS256') return false;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(audience)) return false;
  const now = nowMs / 1000;
  const slack = toleranceMs / 1000;
  if (typeof claims.exp !== 'number' || now > claims.exp + slack) return false;
  if (typeof claims.nbf === 'number' && now < claims.nbf - slack) return false;
  return true;
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The token httpSMS would send (tests use it): HS256, audience the URL, valid ±10 minutes around `nowMs`. */
export function signHttpSmsToken(signingKey: string, audience: string, nowMs: number, subject = 'test-user'): string {
  const s = Math.floor(nowMs / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ aud: audience, exp: s + 600, iat: s, iss: 'api.httpsms.com', nbf: s - 600, sub: subject })}`;
  return `${unsigned}.${createHmac('sha256', signingKey).update(unsigned).digest('base64url')}`;
}
