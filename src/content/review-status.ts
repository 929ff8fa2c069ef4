/**
 * Review status of every text, per language and key, in `locales/review-status.yaml`:
 *
 * ```yaml
 * statuses:
 *   fr:
 *     reparations:amount: { status: legal, by: "Name (role)", on: 2026-02-01 }
 * ```
 *
 * `draft` (written, not checked), `reviewed` (read by a native speaker), `legal` (checked by a
 * lawyer). A key not listed is `draft`. Only people with that role raise a status; the gate
 * (`CONTENT_MIN_STATUS`) refuses to serve content below the configured level.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ContentProblem, LocaleResources, makeProblem } from './content.types';
import { localeStrings } from './locale-keys';
import { isRecord, readYaml } from './yaml-file';

export const REVIEW_FILE = 'review-status.yaml';
export const REVIEW_LEVELS = ['draft', 'reviewed', 'legal'] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];

export interface ReviewEntry {
  status: ReviewLevel;
  by?: string;
  on?: string;
}

/** `statuses[lng][key]`; absent = draft. */
export type ReviewStatuses = Record<string, Record<string, ReviewEntry>>;

export interface LoadedReviews {
  statuses: ReviewStatuses;
  problems: ContentProblem[];
}

export function loadReviewStatuses(localesDir: string, localesName: string, resources: LocaleResources): LoadedReviews {
  const display = `${localesName}/${REVIEW_FILE}`;
  const problems: ContentProblem[] = [];
  const path = join(localesDir, REVIEW_FILE);
  if (!existsSync(path)) return { statuses: {}, problems };
  const raw = readYaml(path, display, problems);
  if (raw === undefined) return { statuses: {}, problems };
  const report = (p: string) => problems.push(makeProblem(display, undefined, p));
  const byLanguage = isRecord(raw) && raw.statuses !== null && raw.statuses !== undefined ? raw.statuses : {};
  if (!isRecord(byLanguage)) {
    report('"statuses" must be a mapping of language → key → { status, by, on }');
    return { statuses: {}, problems };
  }
  const statuses: ReviewStatuses = {};
  for (const [lng, keys] of Object.entries(byLanguage)) {
    const known = localeStrings(resources, lng);
    statuses[lng] = {};
    for (const [key, spec] of Object.entries(isRecord(keys) ? keys : {})) {
      const entry = readEntry(spec);
      if (typeof entry === 'string') report(`${lng} "${key}": ${entry}`);
      else if (!known.has(key)) report(`${lng} "${key}": no such text in ${localesName}/${lng}`);
      else statuses[lng][key] = entry;
    }
  }
  return { statuses, problems };
}

function readEntry(spec: unknown): ReviewEntry | string {
  if (!isRecord(spec) || !(REVIEW_LEVELS as readonly unknown[]).includes(spec.status)) {
    return `status must be one of ${REVIEW_LEVELS.join(', ')}`;
  }
  const status = spec.status as ReviewLevel;
  const on = spec.on instanceof Date ? spec.on.toISOString().slice(0, 10) : typeof spec.on === 'string' ? spec.on : undefined;
  const by = typeof spec.by === 'string' && spec.by.trim() ? spec.by : undefined;
  if (status !== 'draft' && (!by || !on)) return `"${status}" needs "by" (who) and "on" (date)`;
  return { status, ...(by ? { by } : {}), ...(on ? { on } : {}) };
}

export function levelRank(level: ReviewLevel): number {
  return REVIEW_LEVELS.indexOf(level);
}

export interface KeyBelow {
  language: string;
  key: string;
  status: ReviewLevel;
  /** the language whose text is served (the base when the language has no text of its own). */
  servedFrom: string;
}

/**
 * Every text a contact in any declared language could be sent whose status is below `min`. A key a
 * language does not translate is served in the base language, so the base text's status counts.
 */
export function keysBelow(
  resources: LocaleResources,
  languages: string[],
  base: string,
  statuses: ReviewStatuses,
  min: ReviewLevel,
): KeyBelow[] {
  const out: KeyBelow[] = [];
  const baseKeys = [...localeStrings(resources, base).keys()].sort();
  for (const language of languages) {
    const own = localeStrings(resources, language);
    for (const key of baseKeys) {
      const servedFrom = own.has(key) ? language : base;
      const status = statuses[servedFrom]?.[key]?.status ?? 'draft';
      if (levelRank(status) < levelRank(min)) out.push({ language, key, status, servedFrom });
    }
  }
  return out;
}

/** One line per language: `bm: 83 texts below "reviewed": common:choice.home (draft), …`. */
export function describeBelow(below: KeyBelow[], min: ReviewLevel): string[] {
  const byLanguage = new Map<string, KeyBelow[]>();
  for (const b of below) byLanguage.set(b.language, [...(byLanguage.get(b.language) ?? []), b]);
  return [...byLanguage].map(([lng, list]) => {
    const keys = list.map((b) => `${b.key} (${b.status}${b.servedFrom !== lng ? `, ${b.servedFrom} text` : ''})`).join(', ');
    return `${lng}: ${list.length} text${list.length === 1 ? '' : 's'} below "${min}": ${keys}`;
  });
}

/** `flows:check` report: per language, how many texts it is served at each status. */
export function reviewSummary(resources: LocaleResources, languages: string[], base: string, statuses: ReviewStatuses): string {
  const lines = ['review status       draft  reviewed     legal   (texts served; CONTENT_MIN_STATUS gates production)'];
  for (const lng of languages) {
    const legal = keysBelow(resources, [lng], base, statuses, 'legal');
    const draft = legal.filter((b) => b.status === 'draft').length;
    const total = localeStrings(resources, base).size;
    lines.push(`${lng.padEnd(18)}${String(draft).padStart(6)}${String(legal.length - draft).padStart(10)}${String(total - legal.length).padStart(10)}`);
  }
  return lines.join('\n');
}
