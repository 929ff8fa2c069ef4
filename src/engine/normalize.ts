/**
 * One normal form for everything a user types and every word we match it against, so that
 * "Réparations", "reparations" and " REPARATIONS!" are the same word. Bambara letters are
 * folded to the spellings used on phones without them (ɛ→e, ɔ→o, ɲ→ny, ŋ→ng), so an SMS
 * written "tɛ", "te" or "tè" matches the same keyword.
 */
const BAMBARA_FOLDS: Array<[RegExp, string]> = [
  [/ɛ/g, 'e'],
  [/ɔ/g, 'o'],
  [/ɲ/g, 'ny'],
  [/ŋ/g, 'ng'],
];

export function normalizeText(input: string): string {
  let s = input.toLowerCase();
  for (const [from, to] of BAMBARA_FOLDS) s = s.replace(from, to);
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits a comma-separated keyword list (as written in a locale) into normalised, non-empty words. */
export function splitKeywords(list: string): string[] {
  return list
    .split(',')
    .map(normalizeText)
    .filter((w) => w.length > 0);
}
