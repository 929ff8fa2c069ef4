import { totpCode } from '../../test/support/totp';
import { checkTotp, isRecoveryCodeShape, newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpUri } from './second-factor';

/** RFC 6238 appendix B: the ASCII secret "12345678901234567890" (SHA-1), in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP codes', () => {
  it('accepts the RFC 6238 test vectors (6-digit tails of 94287082 at 59 s and 07081804 at 1111111109 s)', async () => {
    expect(await checkTotp(RFC_SECRET, '287082', 59_000, null)).toEqual({ valid: true, step: 1 });
    expect((await checkTotp(RFC_SECRET, '081804', 1_111_111_109_000, null)).valid).toBe(true);
  });

  it('accepts the code of the step before and after (a phone clock a little off), not two steps away', async () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 11, 7, 12, 0, 10);
    for (const offset of [-1, 0, 1]) expect((await checkTotp(secret, totpCode(secret, now, offset), now, null)).valid).toBe(true);
    for (const offset of [-2, 2]) expect((await checkTotp(secret, totpCode(secret, now, offset), now, null)).valid).toBe(false);
  });

  it('refuses a code whose step is not after the last accepted one (each code once)', async () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 11, 7, 12, 0, 10);
    const first = await checkTotp(secret, totpCode(secret, now), now, null);
    expect(first.valid).toBe(true);
    const step = first.valid ? first.step : -1;
    expect((await checkTotp(secret, totpCode(secret, now), now, step)).valid).toBe(false);
    expect((await checkTotp(secret, totpCode(secret, now, -1), now, step)).valid).toBe(false);
    expect((await checkTotp(secret, totpCode(secret, now, 1), now, step)).valid).toBe(true);
  });

  it('refuses anything that is not six digits, and a wrong code', async () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 11, 7, 12, 0, 10);
    const right = totpCode(secret, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const code of ['', '12345', '1234567', 'abcdef', wrong]) expect((await checkTotp(secret, code, now, null)).valid).toBe(false);
    expect((await checkTotp(secret, ` ${right.slice(0, 3)} ${right.slice(3)} `, now, null)).valid).toBe(true);
  });

  it('offers a 160-bit base32 secret in an otpauth address an app can read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'awa@sira.test'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Sira');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes without look-alike characters, read back whatever the case or spacing', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{2}$/);
      expect(normaliseRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(code);
      expect(isRecoveryCodeShape(code)).toBe(true);
    }
    expect(normaliseRecoveryCode('0000-1111-OO')).toBeUndefined();
    expect(isRecoveryCodeShape('123456')).toBe(false);
  });
});
