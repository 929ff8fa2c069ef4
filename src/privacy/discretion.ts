import type { LocaleResources } from '../content/content.types';

/**
 * The texts Sira sends that someone holding her phone (or a staff phone) may read without any context:
 * the confirmation of a callback request, its status lines (also sent proactively after an unanswered
 * call, see src/staff/status-sms.ts) and the staff chat notices. They must say nothing about the
 * commission, testimony, violence or reparations — a neutral sentence and a reference code only.
 */
export const PROACTIVE_KEY_PATTERNS: readonly RegExp[] = [/^callback:registered$/, /^callback:status\./, /^callback:staff\./];

/**
 * Words (accent- and case-insensitive stems) that would tell a reader what the exchange is about.
 * fr/en from the content's own vocabulary; bm from the shipped Bambara texts (seereya: testimony,
 * bɔnɛ sara: reparations, tɔɔrɔ: suffering/victims, lamɛnni: hearings, kiiritigɛso: court) — to be
 * completed by a native speaker (docs/go-live.md). "CVJR" and "commission" in every language.
 */
const LEXICON: Record<string, readonly string[]> = {
  '*': ['cvjr', 'commission', 'tjrc'],
  fr: ['verite', 'temoign', 'reparation', 'indemnis', 'violence', 'viol', 'sexuel', 'agress', 'victime', 'justice', 'tribunal'],
  en: ['truth', 'testimon', 'testify', 'reparation', 'compensation', 'violence', 'rape', 'sexual', 'abuse', 'assault', 'victim', 'justice', 'court'],
  bm: ['seereya', 'bɔnɛ sara', 'tɔɔrɔ', 'lamɛnni', 'kiiritigɛ'],
};

/** Lower case, accents removed (é → e) and Bambara letters in their SMS spelling (ɛ → e, ɔ → o, ɲ → ny). */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ɛ/g, 'e')
    .replace(/ɔ/g, 'o')
    .replace(/ɲ/g, 'ny')
    .replace(/ŋ/g, 'ng');
}

/** The sensitive words found in a text, whatever its language (every language's list is checked). */
export function sensitiveWordsIn(text: string): string[] {
  const folded = fold(text);
  return [...new Set(Object.values(LEXICON).flat().filter((w) => folded.includes(fold(w))))];
}

/** Every proactive key with a text of its own in each language: `lang key` → text. */
export function proactiveTexts(resources: LocaleResources): Map<string, string> {
  const out = new Map<string, string>();
  for (const [lang, byNs] of Object.entries(resources)) {
    for (const [ns, tree] of Object.entries(byNs)) {
      for (const [path, text] of flatten(tree)) {
        const key = `${ns}:${path}`;
        if (PROACTIVE_KEY_PATTERNS.some((p) => p.test(key))) out.set(`${lang} ${key}`, text);
      }
    }
  }
  return out;
}

function flatten(tree: unknown, prefix = ''): [string, string][] {
  if (typeof tree === 'string') return [[prefix, tree]];
  if (typeof tree !== 'object' || tree === null) return [];
  return Object.entries(tree).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
