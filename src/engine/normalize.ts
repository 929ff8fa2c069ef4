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
  return normalizeAscii(input) ?? normalizeUnicode(input);
}

function normalizeUnicode(input: string): string {
  let s = input.toLowerCase();
  for (const [from, to] of BAMBARA_FOLDS) s = s.replace(from, to);
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The same normal form for plain ASCII (most of what arrives: "1", "menu", "Stop"), without regular
 * expressions: letters lower-cased, digits kept, any other character separates words. Returns null
 * when the text has any other character (it takes the full path above); text already in normal form
 * is returned as it is.
 */
function normalizeAscii(input: string): string | null {
  let normal = true;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c >= 128) return null;
    if (isWordChar(c)) continue;
    // one space between two words is already normal
    if (c === 32 && i > 0 && i < input.length - 1 && input.charCodeAt(i - 1) !== 32) continue;
    normal = false;
  }
  if (normal) return input;
  let out = '';
  let gap = false;
  for (let i = 0; i < input.length; i++) {
    let c = input.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (!isWordChar(c)) {
      gap = true;
      continue;
    }
    if (gap && out.length > 0) out += ' ';
    gap = false;
    out += String.fromCharCode(c);
  }
  return out;
}

/** a-z or 0-9 */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
}

/** Splits a comma-separated keyword list (as written in a locale) into normalised, non-empty words. */
export function splitKeywords(list: string): string[] {
  return list
    .split(',')
    .map(normalizeText)
    .filter((w) => w.length > 0);
}
