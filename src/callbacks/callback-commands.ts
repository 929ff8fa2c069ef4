import type { LocaleResources } from '../content/content.types';
import { normalizeText, splitKeywords } from '../engine/normalize';
import { parseRefCode } from './ref-code';

export type CallbackCommand = { op: 'status' | 'cancel'; code: string };

/**
 * "STATUT K7M2QX" / "ANNULER K7M2QX" in any language: a word of `callback:words.<op>` followed by a
 * reference code. A word alone is not a command here (it stays an ordinary answer for the flows).
 */
export class CallbackCommandMatcher {
  private readonly words: Record<CallbackCommand['op'], Set<string>>;

  constructor(resources: LocaleResources) {
    this.words = { status: new Set(), cancel: new Set() };
    for (const byNs of Object.values(resources)) {
      const words = (byNs.callback?.words ?? {}) as Record<string, unknown>;
      for (const op of ['status', 'cancel'] as const) {
        const list = words[op];
        if (typeof list === 'string') for (const w of splitKeywords(list)) this.words[op].add(w);
      }
    }
  }

  match(text: string): CallbackCommand | null {
    const trimmed = text.trim();
    const split = /^(\S+)\s+(.+)$/.exec(trimmed);
    if (!split || trimmed.length > 40) return null;
    const word = normalizeText(split[1]);
    const code = parseRefCode(split[2]);
    if (!code) return null;
    for (const op of ['status', 'cancel'] as const) if (this.words[op].has(word)) return { op, code };
    return null;
  }
}
