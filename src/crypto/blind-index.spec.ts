import { BlindIndex } from './blind-index';
import { KeyRing } from './key-ring';
import { InvalidAddressError, normaliseAddress } from './normalise-address';

describe('BlindIndex', () => {
  const ring = KeyRing.generate();
  const index = new BlindIndex(ring);

  it('is stable for every spelling of one number', () => {
    const expected = index.of('sms', '+22370000001');
    for (const spelling of ['+223 70 00 00 01', '0022370000001', '70 00 00 01', '+223-70-00-00-01', ' +22370000001 ']) {
      expect(index.of('sms', spelling)).toBe(expected);
    }
    expect(expected).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per channel, per address and per key', () => {
    const sms = index.of('sms', '+22370000001');
    expect(index.of('simulator', '+22370000001')).not.toBe(sms);
    expect(index.of('sms', '+22370000002')).not.toBe(sms);
    expect(new BlindIndex(KeyRing.generate()).of('sms', '+22370000001')).not.toBe(sms);
  });

  it('does not depend on the encryption key, so rotating it keeps look-ups working', () => {
    const rotated = new KeyRing([KeyRing.generate('k2').active, ...ring.encryptionKeys], ring.blindIndexKey);
    expect(new BlindIndex(rotated).of('telegram', '123456789')).toBe(index.of('telegram', '123456789'));
  });

  it('never contains the address', () => {
    expect(index.of('telegram', '123456789')).not.toContain('123456789');
  });

  it('gives an E.164 number the same index without parsing it again, and refuses any other spelling', () => {
    expect(index.ofNormalised('sms', '+22370000001')).toBe(index.of('sms', '+22370000001'));
    for (const spelling of ['+223 70 00 00 01', '0022370000001', '70000001', '22370000001', '', '+223700000011234567']) {
      expect(() => index.ofNormalised('sms', spelling)).toThrow(InvalidAddressError);
    }
  });

  it('matches only the address it was made from', () => {
    const i = index.of('telegram', '123456789');
    expect(index.matches('telegram', '123456789', i)).toBe(true);
    expect(index.matches('telegram', '123456780', i)).toBe(false);
    expect(index.matches('sms', '+22370000001', 'short')).toBe(false);
  });
});

describe('normaliseAddress', () => {
  it.each([
    ['sms', '+223 70 00 00 01', '+22370000001'],
    ['sms', '0022370000001', '+22370000001'],
    ['sms', '70000001', '+22370000001'],
    ['sms', '+33 6 12 34 56 78', '+33612345678'],
    ['telegram', ' 123456789 ', '123456789'],
    ['telegram', '-1001234567890', '-1001234567890'],
    ['simulator', '+223 70 00 00 09', '+22370000009'],
    ['simulator', 'sim-abc', 'sim-abc'],
  ] as const)('%s %j → %j', (channel, raw, expected) => {
    expect(normaliseAddress(channel, raw)).toBe(expected);
  });

  it.each([
    ['sms', 'hello'],
    ['sms', ''],
    ['telegram', '12a'],
    ['simulator', '   '],
  ] as const)('refuses %s %j without echoing it', (channel, raw) => {
    expect(() => normaliseAddress(channel, raw)).toThrow(InvalidAddressError);
    expect(() => normaliseAddress(channel, raw)).toThrow(`invalid ${channel} address`);
  });
});
