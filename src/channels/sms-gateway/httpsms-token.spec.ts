import { createHmac } from 'node:crypto';
import { isValidHttpSmsToken, signHttpSmsToken } from './httpsms-token';

describe('isValidHttpSmsToken (httpSMS webhook JWT, HS256)', () => {
  const key = 'relay-signing-key-0123';
  const url = 'https://sira.example.org/webhooks/sms-gateway/bamako/httpsms';
  const now = Date.UTC(2026, 11, 8, 10, 0, 0);
  const bearer = (token: string) => `Bearer ${token}`;

  it('accepts a token signed with the phone key for this URL, within its window', () => {
    expect(isValidHttpSmsToken(key, bearer(signHttpSmsToken(key, url, now)), url, now, 60_000)).toBe(true);
    expect(isValidHttpSmsToken(key, bearer(signHttpSmsToken(key, url, now)), url, now + 9 * 60_000, 60_000)).toBe(true);
  });

  it('refuses another key, another URL, an expired token, none, or a token that is not a bearer JWT', () => {
    expect(isValidHttpSmsToken(key, bearer(signHttpSmsToken('another-key-000', url, now)), url, now, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, bearer(signHttpSmsToken(key, `${url}x`, now)), url, now, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, bearer(signHttpSmsToken(key, url, now)), url, now + 12 * 60_000, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, bearer(signHttpSmsToken(key, url, now)), url, now - 12 * 60_000, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, undefined, url, now, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, signHttpSmsToken(key, url, now), url, now, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, [bearer(signHttpSmsToken(key, url, now))], url, now, 60_000)).toBe(false);
  });

  it('refuses an algorithm other than HS256, even correctly signed', () => {
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${part({ alg: 'HS512', typ: 'JWT' })}.${part({ aud: url, exp: now / 1000 + 600 })}`;
    const token = `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
    expect(isValidHttpSmsToken(key, bearer(token), url, now, 60_000)).toBe(false);
    expect(isValidHttpSmsToken(key, bearer(`${part({ alg: 'none' })}.${part({ aud: url, exp: now / 1000 + 600 })}.`), url, now, 60_000)).toBe(false);
  });
});
