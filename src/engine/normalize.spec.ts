import fc from 'fast-check';
import { normalizeText, splitKeywords } from './normalize';

/** The normal form by its definition (the full Unicode path), to check the shortcut for plain ASCII against. */
function byDefinition(input: string): string {
  return input
    .toLowerCase()
    .replace(/ɛ/g, 'e')
    .replace(/ɔ/g, 'o')
    .replace(/ɲ/g, 'ny')
    .replace(/ŋ/g, 'ng')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('normalizeText', () => {
  it.each([
    ['Réparations', 'reparations'],
    ['  RÉPARATIONS !!  ', 'reparations'],
    ['Menu   principal', 'menu principal'],
    ["l'aide", 'l aide'],
    ['Bamanankan', 'bamanankan'],
    // Bambara letters and the spellings phones without them use
    ['Ɛ', 'e'],
    ['tɛ', 'te'],
    ['tè', 'te'],
    ['kɔ', 'ko'],
    ['kò', 'ko'],
    ['ɲɛ', 'nye'],
    ['Ŋaara', 'ngaara'],
    ['Soŋay', 'songay'],
    ['0', '0'],
    ['😀', ''],
    ['', ''],
    // plain ASCII (the common case) with spaces, tabs, punctuation and control characters
    [' 2 ', '2'],
    ['MENU', 'menu'],
    ['j ai peur', 'j ai peur'],
    ["J'AI\tPEUR!!", 'j ai peur'],
    ['\u0000stop\u001f', 'stop'],
    ['a  b', 'a b'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('normalizeText on any input', () => {
  const asciiChar = fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c));
  const typed = fc.constantFrom('a', 'Z', '7', ' ', '  ', '\t', '\n', '!', "'", '-', 'é', 'É', 'ɛ', 'Ŋ', 'ß', 'İ', '١', '\u00a0', '\u3000', '😀');

  it('gives plain ASCII the same normal form as the full Unicode path', () => {
    fc.assert(fc.property(fc.string({ unit: asciiChar, maxLength: 30 }), (s) => normalizeText(s) === byDefinition(s)), { numRuns: 2000 });
  });

  it('gives mixed text (accents, Bambara letters, other scripts, odd spaces) its normal form', () => {
    fc.assert(fc.property(fc.string({ unit: typed, maxLength: 20 }), (s) => normalizeText(s) === byDefinition(s)), { numRuns: 2000 });
  });
});

describe('splitKeywords', () => {
  it('splits a comma-separated list and drops empty words', () => {
    expect(splitKeywords('Retour, Précédent, ,  kɔsegin ')).toEqual(['retour', 'precedent', 'kosegin']);
  });
});
