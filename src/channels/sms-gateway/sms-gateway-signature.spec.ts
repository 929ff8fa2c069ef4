import { isValidSmsGatewaySignature, signSmsGatewayBody } from './sms-gateway-signature';

describe('relay webhook signature (HMAC-SHA256 of the raw body + X-Timestamp, hex)', () => {
  const key = 'signing-key-of-the-phone';
  const body = '{"event":"sms:received","payload":{"message":"I ni ce"}}';
  const now = 1_760_000_000_000;
  const ts = String(now / 1000);
  const check = (b: string, t: string | undefined, s: string | undefined, at = now) => isValidSmsGatewaySignature(key, Buffer.from(b), t, s, at, 300_000);

  it('accepts the signature the app computes, also in upper-case hex', () => {
    const signature = signSmsGatewayBody(key, body, ts);
    expect(check(body, ts, signature)).toBe(true);
    expect(check(body, ts, signature.toUpperCase())).toBe(true);
  });

  it('refuses a changed body, another timestamp, another key, a missing or malformed header', () => {
    const signature = signSmsGatewayBody(key, body, ts);
    expect(check(body.replace('ce', 'ci'), ts, signature)).toBe(false);
    expect(check(body, String(Number(ts) + 1), signature)).toBe(false);
    expect(check(body, ts, signSmsGatewayBody('another-key-entirely', body, ts))).toBe(false);
    expect(check(body, undefined, signature)).toBe(false);
    expect(check(body, ts, undefined)).toBe(false);
    expect(check(body, ts, signature.slice(2))).toBe(false);
    expect(check(body, `${ts}.5`, signature)).toBe(false);
  });

  it('refuses a valid signature outside the replay window, on either side', () => {
    const old = String(now / 1000 - 301);
    const ahead = String(now / 1000 + 301);
    expect(check(body, old, signSmsGatewayBody(key, body, old))).toBe(false);
    expect(check(body, ahead, signSmsGatewayBody(key, body, ahead))).toBe(false);
    const edge = String(now / 1000 - 300);
    expect(check(body, edge, signSmsGatewayBody(key, body, edge))).toBe(true);
  });

  it('refuses a request without a raw body (the JSON parser did not keep it)', () => {
    expect(isValidSmsGatewaySignature(key, undefined, ts, signSmsGatewayBody(key, body, ts), now, 300_000)).toBe(false);
  });
});
