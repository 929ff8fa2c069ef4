/**
 * Per-language "SMS spelling": replacements applied only to SMS, so that a message stays in GSM-7
 * (160 characters a segment instead of 70, and readable on phones without the fonts). Each map only
 * makes changes that keep the meaning; which languages use their map is configuration (SMS_SPELLING).
 *
 * - Bambara: the letters ɛ ɔ ɲ ŋ are not in GSM-7; the older spellings è ò ny ng are, and readers know
 *   them (domain-facts §6; the engine reads replies written either way). The French folds apply too,
 *   for French words in Bambara texts and for texts that fall back to French until translated.
 * - French: typographic quotes, ellipsis, non-breaking spaces and the accents GSM-7 lacks (â ê î ô û
 *   ë ï ÿ œ ç and capitals) fold to their plain forms; é è à ù (in GSM-7) are kept. ŋ (in the
 *   language name "Soŋay") becomes ng.
 */
export type SpellingMap = ReadonlyArray<readonly [from: string, to: string]>;

const PUNCTUATION: SpellingMap = [
  ['\u2019', "'"], ['\u2018', "'"], ['\u201C', '"'], ['\u201D', '"'], ['\u00AB', '"'], ['\u00BB', '"'],
  ['\u2026', '...'], ['\u00A0', ' '], ['\u202F', ' '], ['\u2013', '-'], ['\u2014', '-'],
];

/** French letters GSM-7 lacks, folded to their plain forms (é è à ù É are in GSM-7 and kept). */
const FRENCH_LETTERS: SpellingMap = [
  ['â', 'a'], ['ê', 'e'], ['î', 'i'], ['ô', 'o'], ['û', 'u'], ['ë', 'e'], ['ï', 'i'], ['ÿ', 'y'], ['ç', 'c'],
  ['œ', 'oe'], ['Œ', 'OE'], ['À', 'A'], ['Â', 'A'], ['È', 'E'], ['Ê', 'E'], ['Ë', 'E'], ['Î', 'I'], ['Ï', 'I'],
  ['Ô', 'O'], ['Ù', 'U'], ['Û', 'U'],
];

export const SMS_SPELLING_MAPS: Readonly<Record<string, SpellingMap>> = {
  bm: [
    // capital È and Ò are not in GSM-7: Ɛ and Ɔ become E and O.
    ['ɛ', 'è'], ['Ɛ', 'E'], ['ɔ', 'ò'], ['Ɔ', 'O'], ['ɲ', 'ny'], ['Ɲ', 'Ny'], ['ŋ', 'ng'], ['Ŋ', 'Ng'],
    // French words inside Bambara texts ("Français"), and texts not yet translated, which fall back to French.
    ...FRENCH_LETTERS,
    ...PUNCTUATION,
  ],
  fr: [
    ...PUNCTUATION,
    ...FRENCH_LETTERS,
    // language names written in their own alphabet in the language menu ("Soŋay").
    ['ŋ', 'ng'],
  ],
};

/** The text as it is sent by SMS in `language`, when that language's map is switched on. */
export function applySmsSpelling(text: string, language: string, enabled: readonly string[]): string {
  const map = SMS_SPELLING_MAPS[language];
  if (!map || !enabled.includes(language)) return text;
  let out = text;
  for (const [from, to] of map) out = out.split(from).join(to);
  return out;
}

/** The default: every language that has a map. */
export const DEFAULT_SMS_SPELLING = Object.keys(SMS_SPELLING_MAPS);
