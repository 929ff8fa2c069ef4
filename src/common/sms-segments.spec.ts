import { smsCost, smsSegments } from './sms-segments';

describe('smsCost (GSM 03.38 segment counter)', () => {
  it.each([
    ['', 'GSM-7', 0, 1],
    ['a'.repeat(160), 'GSM-7', 160, 1],
    ['a'.repeat(161), 'GSM-7', 161, 2],
    ['a'.repeat(306), 'GSM-7', 306, 2],
    ['a'.repeat(307), 'GSM-7', 307, 3],
    ['a'.repeat(459), 'GSM-7', 459, 3],
    ['a'.repeat(460), 'GSM-7', 460, 4],
  ])('counts %#: plain GSM-7 text at the 160/153 boundaries', (text, encoding, units, segments) => {
    expect(smsCost(text)).toMatchObject({ encoding, units, segments });
  });

  it('counts extension characters (€ [ ] { } ~ ^ | \\) twice', () => {
    expect(smsCost('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsCost('€'.repeat(80) + 'a')).toMatchObject({ encoding: 'GSM-7', units: 161, segments: 2 });
  });

  it('keeps French accents that GSM-7 has (é è à ù) in GSM-7', () => {
    expect(smsCost('Réparations à Bamako, déjà vu, où').encoding).toBe('GSM-7');
  });

  it.each(['ɛ', 'ɔ', 'ɲ', 'ŋ', 'ê', 'œ', '’', '«', '…', '\u00A0', 'ç'])('switches the whole text to UCS-2 for %j', (c) => {
    const cost = smsCost(`Sira ${c} ${'a'.repeat(60)}`);
    expect(cost.encoding).toBe('UCS-2');
    expect(cost.nonGsm).toEqual([c]);
    expect(cost.segments).toBe(1);
  });

  it('uses 70 / 67 UTF-16 units for UCS-2, an emoji counting two', () => {
    expect(smsSegments('ɛ'.repeat(70))).toBe(1);
    expect(smsSegments('ɛ'.repeat(71))).toBe(2);
    expect(smsSegments('ɛ'.repeat(134))).toBe(2);
    expect(smsSegments('ɛ'.repeat(135))).toBe(3);
    expect(smsCost('🙂'.repeat(35)).units).toBe(70);
    expect(smsSegments('🙂'.repeat(36))).toBe(2);
  });
});
