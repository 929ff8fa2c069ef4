/**
 * Hearing distress in whatever she writes (issue 19 §1; domain-facts §8, UNICEF "Safer Chatbots":
 * detect high-risk keywords anywhere, at any point). The lexicon is content (`common:commands.safety`
 * of every language, merged); this file only decides how a message is compared with it.
 *
 * Both sides go through the same folding, on top of `normalizeText` (case, accents, punctuation):
 * - an elided one-letter word is glued to the next ("j ai", "jai" and "j'ai" are one word; so are
 *   "m a" / "ma", "qu il" / "quil"), because phones and hurried thumbs drop apostrophes and spaces;
 * - a run of one letter counts once ("auuu secoooours", "frappe" / "frape");
 * - a word of 6+ letters may carry one typo (one letter changed, added, dropped, or two swapped),
 *   unless the word she wrote is itself an ordinary word: "argent" is not a typo of "urgent",
 *   "danser" not of "danger", "menage" not of "menace".
 * Entries of several words match as a run of consecutive words, each compared the same way.
 */

const ELIDED = new Set(['j', 'm', 't', 'l', 'd', 'n', 's', 'c', 'qu']);
export const TYPO_MIN_LENGTH = 6;

/**
 * Real words within one edit of a distress word, kept out of the typo rule. The shell adds every word
 * of Sira's own texts in every language (FlowSet.ordinaryWords); these are the common ones it may not hold.
 */
const NEVER_TYPOS = ['argent', 'danser', 'dansez', 'menage', 'manger', 'ranger', 'changer'];

/** One message or lexicon entry as words, folded for distress matching. */
export function distressWords(normalized: string): string[] {
  return distressTokens(normalized).map((t) => t.word);
}

/** The folded words, each marked when an elided letter was glued to it (such a word must match exactly). */
function distressTokens(normalized: string): Array<{ word: string; glued: boolean }> {
  const out: Array<{ word: string; glued: boolean }> = [];
  const words = normalized.split(' ').filter((w) => w.length > 0);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (ELIDED.has(w) && i + 1 < words.length && /^[a-z]/.test(words[i + 1])) {
      out.push({ word: squeeze(w + words[i + 1]), glued: true });
      i++;
    } else out.push({ word: squeeze(w), glued: false });
  }
  return out;
}

function squeeze(word: string): string {
  return word.replace(/(.)\1+/g, '$1');
}

export interface DistressLexicon {
  /** entries as folded word lists. */
  entries: string[][];
  /** every folded word of an entry: an exact hit needs no typo check. */
  words: Set<string>;
  /** folded entry words long enough for the typo rule, by length. */
  long: Map<number, string[]>;
  /** folded ordinary words: never read as a typo of a distress word. */
  ordinary: Set<string>;
}

export function buildDistressLexicon(entries: readonly string[], ordinaryWords: readonly string[] = []): DistressLexicon {
  const folded = entries.map(distressWords).filter((e) => e.length > 0);
  const words = new Set(folded.flat());
  const long = new Map<number, string[]>();
  for (const w of words) {
    if (w.length < TYPO_MIN_LENGTH) continue;
    const list = long.get(w.length) ?? [];
    list.push(w);
    long.set(w.length, list);
  }
  const ordinary = new Set<string>();
  for (const w of [...NEVER_TYPOS, ...ordinaryWords]) for (const f of distressWords(w)) if (!words.has(f)) ordinary.add(f);
  return { entries: folded, words, long, ordinary };
}

/** Whether her (normalised) message says one of the lexicon's entries anywhere. */
export function saysDistress(lexicon: DistressLexicon, normalized: string): boolean {
  if (lexicon.entries.length === 0 || normalized.length === 0) return false;
  const tokens = distressTokens(normalized);
  const said = tokens.map((t) => t.word);
  // a glued elision ("j danger" → "jdanger") is never read as a typo: only her own spelling may carry one
  const known = tokens.map((t) => (t.glued ? exact(lexicon, t.word) : wordMatch(lexicon, t.word)));
  return lexicon.entries.some((entry) => entryAt(entry, said, known));
}

function exact(lexicon: DistressLexicon, w: string): Set<string> | null {
  return lexicon.words.has(w) ? new Set([w]) : null;
}

/** The lexicon word `w` stands for (itself, or the word it is one typo away from), else null. */
function wordMatch(lexicon: DistressLexicon, w: string): Set<string> | null {
  if (lexicon.words.has(w)) return new Set([w]);
  if (w.length < TYPO_MIN_LENGTH || lexicon.ordinary.has(w)) return null;
  const near = new Set<string>();
  for (let len = w.length - 1; len <= w.length + 1; len++) {
    for (const candidate of lexicon.long.get(len) ?? []) if (oneEditApart(w, candidate)) near.add(candidate);
  }
  return near.size ? near : null;
}

function entryAt(entry: string[], said: string[], known: Array<Set<string> | null>): boolean {
  for (let start = 0; start + entry.length <= said.length; start++) {
    let all = true;
    for (let j = 0; j < entry.length && all; j++) all = known[start + j]?.has(entry[j]) ?? false;
    if (all) return true;
  }
  return false;
}

/** One substitution, insertion, deletion or swap of two neighbours (never zero: equal words are exact hits). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length && diffs.length <= 2; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [i, j] = diffs;
    return diffs.length === 2 && j === i + 1 && a[i] === b[j] && a[j] === b[i];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}
