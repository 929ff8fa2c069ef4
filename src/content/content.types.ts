import type { Flow, FlowSet } from '../engine/engine.types';
import type { Referral } from './referrals';
import type { ReviewStatuses } from './review-status';

/** `resources[lng][namespace]` = the nested JSON of `locales/<lng>/<namespace>.json` (same shape i18next takes). */
export type LocaleResources = Record<string, Record<string, Record<string, unknown>>>;

/** An entry of `locales/languages.json`. */
export interface LanguageInfo {
  code: string;
  name: string;
}

/** Where content is read from (config.content carries the same two fields). */
export interface ContentPaths {
  flowsDir: string;
  localesDir: string;
}

/**
 * One thing wrong with the content. `message` is the exact line printed by `flows:check` and
 * thrown at boot, e.g. `flows/menu.yaml: node "main": unknown target "@nowhere"`.
 */
export interface ContentProblem {
  /** display path, e.g. `flows/menu.yaml` or `locales/fr/common.json`. */
  file: string;
  node?: string;
  problem: string;
  message: string;
}

/** `flows/_index.yaml` as written: targets are `@flow` or `@flow/node`. */
export interface FlowIndexSpec {
  file: string;
  entry?: string;
  home?: string;
  rescue?: string;
  callback?: string;
  voice_note?: string;
  commands: Record<string, string>;
}

/** Share of the keys the flows use (+ engine texts + command words) that a language translates itself. */
export interface LanguageCoverage {
  code: string;
  name: string;
  translated: number;
  total: number;
  /** 0..1 */
  ratio: number;
  /** the used keys it has no text of its own for (sorted): what translators still need (docs/content-review.md). */
  missing: string[];
}

export interface LoadedContent {
  flowSet: FlowSet;
  resources: LocaleResources;
  languages: LanguageInfo[];
  /** the base language (French): every key must exist in it; others fall back to it. */
  base: string;
  problems: ContentProblem[];
  coverage: LanguageCoverage[];
  /** review status per language and key (`locales/review-status.yaml`; absent = draft). */
  reviews: ReviewStatuses;
  /** the referral directory, verified or not: only `servableReferrals` of it may be shown. */
  referrals: Referral[];
}

/** What the loaders produce before the cross-file check. */
export interface RawContent {
  flows: Record<string, Flow>;
  index: FlowIndexSpec | null;
  /** `flow/node` of nodes already reported and left out. */
  dropped: string[];
  resources: LocaleResources;
  languages: LanguageInfo[];
  base: string;
  /** display name of the locales folder (`locales`), for messages about engine and command keys. */
  localesName: string;
}

/** Texts the engine emits by itself (not written in any flow); the check requires them. */
export const ENGINE_KEYS = ['common:reprompt', 'common:expired', 'common:stale_button'] as const;

export const COMMAND_NAMES = ['home', 'back', 'help', 'language', 'stop', 'start', 'erase', 'safety', 'exit', 'withdraw', 'quiet', 'change', 'call', 'listen', 'read', 'news', 'stop_news'] as const;
/** Commands added after the first content: optional, so older content (and fixtures) stays valid. */
export const OPTIONAL_COMMANDS: readonly string[] = ['safety', 'exit', 'withdraw', 'quiet', 'change', 'call', 'listen', 'read', 'news', 'stop_news'];

export function commandKey(name: string): string {
  return `common:commands.${name}`;
}

export function makeProblem(file: string, node: string | undefined, problem: string): ContentProblem {
  const message = node === undefined ? `${file}: ${problem}` : `${file}: node "${node}": ${problem}`;
  return { file, ...(node === undefined ? {} : { node }), problem, message };
}
