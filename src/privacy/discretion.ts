import type { LocaleResources } from '../content/content.types';

/**
 * Two kinds of text may be read over her shoulder, checked at two strengths:
 * - proactive texts, sent without her asking (the status SMS after an unanswered call, later reminders and
 *   broadcasts): they land on a phone someone else may hold, in a thread she may have deleted. They say
 *   nothing about calls, appointments, topics, organisations or reparations — a neutral sentence and a
 *   reference code (`callback:proactive.*`), or the question whether to keep her news (`news:proactive.*`). The send path refuses any other proactive text.
 * - discreet replies: the confirmation of her request and the answers to her own STATUT (she is holding the
 *   phone and asked), and the staff chat notices (a staff phone). They may say that a call is arranged, but
 *   nothing about the commission, testimony, violence or reparations.
 */
export const PROACTIVE_KEY_PATTERNS: readonly RegExp[] = [/^callback:proactive\./, /^news:proactive\./];
export const DISCREET_KEY_PATTERNS: readonly RegExp[] = [/^callback:registered$/, /^callback:status\./, /^callback:staff\./];

/**
 * Words that tell a reader what the exchange is about, matched at the start of a word after folding
 * (stems: "appel" catches "appels", "appelée"). An entry ending in "$" must be the whole word (acronyms
 * such as AGRV or RDV, which could otherwise sit inside a reference code or a longer word).
 * fr/en from the content's own vocabulary; bm only from the shipped Bambara texts (seereya: testimony,
 * bɔnɛ sara: reparations, tɔɔrɔ: suffering/victims, lamɛnni: hearings, kiiritigɛso: court) — to be
 * completed by a native speaker (docs/go-live.md). "CVJR" and "commission" in every language.
 */
const SUBJECT_LEXICON: Record<string, readonly string[]> = {
  '*': ['cvjr$', 'commission', 'tjrc$'],
  fr: ['verite', 'temoign', 'reparation', 'indemnis', 'violence', 'viol', 'sexuel', 'agress', 'victime', 'justice', 'tribunal'],
  en: ['truth', 'testimon', 'testify', 'reparation', 'compensation', 'violence', 'rape', 'sexual', 'abuse', 'assault', 'victim', 'justice', 'court'],
  bm: ['seereya', 'bɔnɛ sara', 'tɔɔrɔ', 'lamɛnni', 'kiiritigɛ'],
};

/**
 * What a proactive text must not say on top of the subject words: that calls or appointments were
 * arranged, her topic, an organisation, money owed. bm from the shipped texts: wele/weleli (call, in
 * callback.json), telefɔni (phone), kuma kun (topic, consent notice), sariya (law: "Sariya dɛmɛ"),
 * lakana / farati (safety, danger: safety topic and answer). Bambara has no shipped word yet for
 * appointment or organisation: a native speaker adds them.
 */
const ARRANGEMENT_LEXICON: Record<string, readonly string[]> = {
  '*': ['agrv$', 'unicef', 'minusma$', 'onu$', 'ong$', 'ngo$'],
  fr: ['appel', 'rappel', 'joindre', 'telephon', 'messagerie', 'repondeur', 'rendez-vous', 'rendez vous', 'rdv$', 'entretien', 'creneau', 'sujet', 'juridique', 'avocat', 'securite', 'danger', 'association', 'organisation', 'ministere', 'gouvernement', 'compens', 'dedommag', 'argent', 'decret'],
  en: ['call', 'phone', 'reach', 'voicemail', 'appointment', 'meeting', 'topic', 'subject', 'legal', 'lawyer', 'safety', 'danger', 'association', 'organisation', 'organization', 'ministry', 'government', 'compensat', 'money', 'decree'],
  bm: ['wele', 'telefɔni', 'kuma kun', 'sariya', 'lakana', 'farati'],
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

/** The words of `lexicon` found in a text, whatever its language (every language's list is checked). */
function wordsIn(text: string, lexicons: readonly Record<string, readonly string[]>[]): string[] {
  const folded = fold(text);
  const found = lexicons.flatMap((l) => Object.values(l).flat()).filter((entry) => matcher(entry).test(folded));
  return [...new Set(found.map((e) => e.replace(/\$$/, '')))];
}

/** A stem must begin a word; an entry ending in "$" must be the whole word. */
function matcher(entry: string): RegExp {
  const whole = entry.endsWith('$');
  const word = fold(whole ? entry.slice(0, -1) : entry).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${word}${whole ? '(?![a-z0-9])' : ''}`);
}

/** Subject words (commission, testimony, violence, reparations): none may appear in a discreet reply. */
export function sensitiveWordsIn(text: string): string[] {
  return wordsIn(text, [SUBJECT_LEXICON]);
}

/** Subject words and words about calls, appointments, topics, organisations, money: none may appear in a proactive text. */
export function proactiveWordsIn(text: string): string[] {
  return wordsIn(text, [SUBJECT_LEXICON, ARRANGEMENT_LEXICON]);
}

/** Every string a rendered message carries (an SMS body, a Telegram text and its button labels). */
export function renderedStrings(message: unknown): string[] {
  if (typeof message === 'string') return [message];
  if (Array.isArray(message)) return message.flatMap(renderedStrings);
  if (typeof message === 'object' && message !== null) return Object.values(message).flatMap(renderedStrings);
  return [];
}

/** A sample reference code for checking templates (drawn from the code alphabet, no sensitive letters). */
const SAMPLE_CODE = 'K7M2QX';

/**
 * The problems `flows:check` reports: each proactive text with a proactive word, each discreet reply
 * with a subject word, as `discretion: <lang> <key>: names "<word>"`.
 */
export function discretionProblems(resources: LocaleResources): string[] {
  const check = (texts: Map<string, string>, words: (t: string) => string[]) =>
    [...texts].flatMap(([where, text]) => words(text.replace(/\{\{\s*\w+\s*\}\}/g, SAMPLE_CODE)).map((w) => `discretion: ${where}: names "${w}"`));
  return [...check(proactiveTexts(resources), proactiveWordsIn), ...check(textsMatching(resources, DISCREET_KEY_PATTERNS), sensitiveWordsIn)];
}

/** Every proactive key with a text of its own in each language: `lang key` → text. */
export function proactiveTexts(resources: LocaleResources): Map<string, string> {
  return textsMatching(resources, PROACTIVE_KEY_PATTERNS);
}

/** Every discreet reply key with a text of its own in each language: `lang key` → text. */
export function discreetTexts(resources: LocaleResources): Map<string, string> {
  return textsMatching(resources, DISCREET_KEY_PATTERNS);
}

function textsMatching(resources: LocaleResources, patterns: readonly RegExp[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [lang, byNs] of Object.entries(resources)) {
    for (const [ns, tree] of Object.entries(byNs)) {
      for (const [path, text] of flatten(tree)) {
        const key = `${ns}:${path}`;
        if (patterns.some((p) => p.test(key))) out.set(`${lang} ${key}`, text);
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
