/**
 * Compares an edited translation CSV with the content on disk and decides, row by row, what would
 * change and what is refused. Nothing is written here: the CLI writes only a plan without refusals.
 *
 * A row is refused when its text loses or invents a {{placeholder}}, brings characters outside the
 * SMS alphabet (GSM-7) that its SMS spelling cannot fold, makes an SMS go over the segment budget,
 * states a number its sources do not give, or raises a review status without `reviewed_by`.
 */
import { applySmsSpelling } from '../../common/sms-spelling';
import { smsCost } from '../../common/sms-segments';
import type { LocaleResources } from '../content.types';
import { localeStrings } from '../locale-keys';
import { levelRank, REVIEW_LEVELS, type ReviewEntry, type ReviewLevel } from '../review-status';
import { checkSources } from '../sources.check';
import type { CsvRow, ParsedCsv } from './translation-csv';
import { setLocaleText } from './locale-tree';
import { smsOverBudget } from './sms-cost.index';
import type { TableContent } from './translation-table';

export interface ImportOptions {
  maxSegments: number;
  spelling: readonly string[];
  /** date written for a status raised without `reviewed_on` (YYYY-MM-DD). */
  today: string;
  localesDir: string;
}

export interface TextChange {
  row: number;
  key: string;
  before?: string;
  after: string;
}

export interface StatusChange {
  row: number;
  key: string;
  before?: ReviewEntry;
  /** undefined: back to draft (the entry is removed). */
  after?: ReviewEntry;
  reason?: string;
}

export interface Refusal {
  row: number;
  key: string;
  problem: string;
}

export interface ImportPlan {
  language: string;
  texts: TextChange[];
  statuses: StatusChange[];
  refusals: Refusal[];
  /** edits that are information only and were left alone (e.g. the french column of a bm file). */
  notes: string[];
}

export function planImport(content: TableContent, csv: ParsedCsv, options: ImportOptions): ImportPlan {
  const plan: ImportPlan = { language: csv.language, texts: [], statuses: [], refusals: [], notes: [] };
  if (!content.languages.some((l) => l.code === csv.language)) {
    plan.refusals.push({ row: 1, key: '', problem: `"${csv.language}" is not a declared language (locales/languages.json)` });
    return plan;
  }
  const ctx = new RowContext(content, csv.language, options);
  const seen = new Map<string, number>();
  for (const row of csv.rows) {
    const first = seen.get(row.key);
    seen.set(row.key, first ?? row.row);
    const problems = first !== undefined ? [`the key appears again (first at row ${first})`] : ctx.check(row, plan);
    for (const problem of problems) plan.refusals.push({ row: row.row, key: row.key, problem });
  }
  plan.refusals.push(...wholeContentProblems(content, plan, options));
  plan.refusals.sort((a, b) => a.row - b.row);
  return plan;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

class RowContext {
  private readonly french: Map<string, string>;
  private readonly own: Map<string, string>;

  constructor(
    private readonly content: TableContent,
    private readonly language: string,
    private readonly options: ImportOptions,
  ) {
    this.french = localeStrings(content.resources, content.base);
    this.own = localeStrings(content.resources, language);
  }

  /** Problems of one row; when there are none, its changes are added to the plan. */
  check(row: CsvRow, plan: ImportPlan): string[] {
    const french = this.french.get(row.key);
    if (french === undefined) return [`no text "${row.key}" in ${this.content.base} (keys are not created by import)`];
    if (this.language !== this.content.base && row.french !== french) plan.notes.push(`row ${row.row} (${row.key}): the french column is information only; it was left unchanged`);
    const before = this.own.get(row.key);
    const changed = row.text !== '' && row.text !== before;
    const problems = [
      ...(row.text === '' && before !== undefined ? ['the text is empty: write a text, or leave the current one'] : []),
      ...(changed ? this.textProblems(row.text, french, before) : []),
    ];
    const status = this.statusChange(row, changed, before !== undefined || changed);
    if (typeof status === 'string') problems.push(status);
    if (problems.length > 0) return problems;
    if (changed) plan.texts.push({ row: row.row, key: row.key, ...(before === undefined ? {} : { before }), after: row.text });
    if (status && typeof status !== 'string') plan.statuses.push(status);
    return [];
  }

  private textProblems(text: string, french: string, before: string | undefined): string[] {
    const problems: string[] = [];
    const want = placeholders(french);
    const got = placeholders(text);
    for (const p of want) if (!got.has(p)) problems.push(`placeholder {{${p}}} is missing (the French text has it)`);
    for (const p of got) if (!want.has(p)) problems.push(`placeholder {{${p}}} is not in the French text`);
    const sms = (t: string) => smsCost(applySmsSpelling(t, this.language, this.options.spelling)).nonGsm;
    const already = new Set(sms(before ?? french));
    const added = sms(text).filter((c) => !already.has(c));
    if (added.length > 0) {
      const list = added.map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
      problems.push(`characters outside the SMS alphabet (GSM-7): ${list}; they would make the SMS UCS-2 (70 characters a segment instead of 160)`);
    }
    return problems;
  }

  /** The status change of a row, a refusal, or null when the status stays as it is. */
  private statusChange(row: CsvRow, textChanged: boolean, hasText: boolean): StatusChange | string | null {
    if (!(REVIEW_LEVELS as readonly string[]).includes(row.status)) return `status must be one of ${REVIEW_LEVELS.join(', ')} (not "${row.status}")`;
    if (row.reviewedOn && !DATE.test(row.reviewedOn)) return `reviewed_on must be a date written YYYY-MM-DD (not "${row.reviewedOn}")`;
    const status = row.status as ReviewLevel;
    const before = this.content.reviews[this.language]?.[row.key];
    const current = before?.status ?? 'draft';
    const base = { row: row.row, key: row.key, ...(before ? { before } : {}) };
    if (status === 'draft') return current === 'draft' ? null : { ...base, reason: 'lowered' };
    if (!hasText) return `status "${status}" for a text that is not translated`;
    if (!row.reviewedBy) {
      return levelRank(status) > levelRank(current)
        ? `status raised from ${current} to ${status} without reviewed_by: only the person who reviewed it raises a status, naming themselves`
        : `status "${status}" needs reviewed_by`;
    }
    const after: ReviewEntry = { status, by: row.reviewedBy, on: row.reviewedOn || this.options.today };
    const sameReview = status === current && after.by === before?.by && after.on === before?.on;
    // A review is of a text: the same review of a text that changed since no longer holds.
    if (sameReview && textChanged) return { ...base, reason: 'the text changed since it was reviewed: back to draft' };
    return sameReview ? null : { ...base, after };
  }
}

function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]));
}

/** Checks that need the whole content with the new texts: SMS over the budget, numbers without a source. */
function wholeContentProblems(content: TableContent, plan: ImportPlan, options: ImportOptions): Refusal[] {
  if (plan.texts.length === 0) return [];
  const resources: LocaleResources = structuredClone(content.resources);
  for (const change of plan.texts) setLocaleText(resources, plan.language, change.key, change.after);
  const rowOf = new Map(plan.texts.map((t) => [t.key, t.row]));
  const refusals: Refusal[] = [];
  for (const { row, keys } of smsOverBudget({ ...content, resources }, plan.language, options)) {
    for (const key of keys.filter((k) => rowOf.has(k))) {
      refusals.push({ row: rowOf.get(key)!, key, problem: `the SMS ${row.where} would be ${row.segments} segments ${row.encoding} (budget ${options.maxSegments})` });
    }
  }
  const languages = content.languages.map((l) => l.code);
  const sources = checkSources({ localesDir: options.localesDir, localesName: 'locales', resources, languages, base: content.base });
  for (const problem of sources) {
    const key = [...rowOf.keys()].find((k) => problem.file.startsWith(`locales/${plan.language}/`) && problem.problem.startsWith(`"${k}":`));
    if (key) refusals.push({ row: rowOf.get(key)!, key, problem: problem.problem.slice(key.length + 4) });
  }
  return refusals;
}
