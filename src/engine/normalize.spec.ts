import { normalizeText, splitKeywords } from './normalize';

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
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('splitKeywords', () => {
  it('splits a comma-separated list and drops empty words', () => {
    expect(splitKeywords('Retour, Précédent, ,  kɔsegin ')).toEqual(['retour', 'precedent', 'kosegin']);
  });
});
