import { createCipheriv } from 'node:crypto';
import { AddressCipher, DecryptionError } from './address-cipher';
import { KeyRing } from './key-ring';

describe('AddressCipher', () => {
  const ring = KeyRing.generate('k1');
  const cipher = new AddressCipher(ring);

  it('round-trips an address and names the key it used', () => {
    const { token, kid } = cipher.encrypt('+22370000001', 'row-1');
    expect(kid).toBe('k1');
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(token).not.toContain('22370000001');
    expect(cipher.decrypt(token, 'row-1')).toBe('+22370000001');
    expect(AddressCipher.keyIdOf(token)).toBe('k1');
  });

  it('gives a different token each time (random IV)', () => {
    expect(cipher.encrypt('+22370000001').token).not.toBe(cipher.encrypt('+22370000001').token);
  });

  it('never gives two tokens the same IV, across many draws of random bytes', () => {
    const ivs = new Set(Array.from({ length: 2_000 }, () => cipher.encrypt('+22370000001').token.split('.')[2]));
    expect(ivs.size).toBe(2_000);
  });

  it('decrypts old tokens after rotation while encrypting with the new key', () => {
    const old = cipher.encrypt('+22370000002').token;
    const rotated = new AddressCipher(new KeyRing([KeyRing.generate('k2').active, ring.active], ring.blindIndexKey));
    expect(rotated.decrypt(old)).toBe('+22370000002');
    expect(rotated.encrypt('x').kid).toBe('k2');
  });

  it('decrypts a token written before its keys were held as key objects (v1 format, raw key bytes)', () => {
    const iv = Buffer.alloc(12, 7);
    const legacy = createCipheriv('aes-256-gcm', ring.active.key, iv, { authTagLength: 16 });
    legacy.setAAD(Buffer.from('row-9', 'utf8'));
    const body = Buffer.concat([legacy.update('+22370000009', 'utf8'), legacy.final()]);
    const token = ['v1', 'k1', iv.toString('base64url'), legacy.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    expect(cipher.decrypt(token, 'row-9')).toBe('+22370000009');
  });

  it('refuses a token whose key left the ring', () => {
    const other = new AddressCipher(KeyRing.generate('k9'));
    expect(() => other.decrypt(cipher.encrypt('+22370000003').token)).toThrow('key k1 is not in the key ring');
  });

  it.each([
    ['a wrong key with the same id', () => new AddressCipher(KeyRing.generate('k1')).decrypt(cipher.encrypt('a').token)],
    ['another context', () => cipher.decrypt(cipher.encrypt('a', 'row-1').token, 'row-2')],
    ['a tampered ciphertext', () => cipher.decrypt(tamper(cipher.encrypt('+22370000004').token))],
  ])('fails GCM authentication with %s', (_label, attempt) => {
    expect(attempt).toThrow(DecryptionError);
    expect(attempt).toThrow('authentication failed');
  });

  it.each(['', 'v2.k1.a.b.c', 'v1.k1.a.b', 'v1.k1.a.b.c.d', 'v1.k1.AAAA.BBBB.CCCC'])('rejects the malformed token %j', (t) => {
    expect(() => cipher.decrypt(t)).toThrow(DecryptionError);
  });
});

function tamper(token: string): string {
  const parts = token.split('.');
  const body = Buffer.from(parts[4], 'base64url');
  body[0] ^= 1;
  parts[4] = body.toString('base64url');
  return parts.join('.');
}
