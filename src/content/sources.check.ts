/**
 * `locales/sources.yaml`: what every text rests on, checked by `flows:check` and at boot.
 *
 * ```yaml
 * facts_file: ../docs/domain-facts.md      # the fact sheet, relative to the locales folder
 * ui_digits: ["0"]                          # digits the interface itself uses (0 = menu)
 * keys:
 *   reparations:amount:
 *     facts:                                # "§<section> <text copied from that section>"
 *       - "§2 Heirs of a **deceased or disappeared** victim receive **4,800,000 FCFA in total**, shared among them."
 *   menu:prompt: { kind: ui }               # a menu prompt or label: states no fact about the world
 *   callback:time.morning: { kind: ui, digits: ["8", "12"] }   # a label holding Sira's own hours
 *   callback:consent.notice: { kind: setting, digits: ["90"] } # a message about Sira itself
 *   "callback:*": { kind: setting }         # a whole namespace about Sira's own process
 * ```
 *
 * `ui` is only for menus, labels and prompts: a key shown as the text of a `message` node (an
 * answer) can't be `ui`, except engine and language texts (`common:*`, `language:*`). An answer
 * cites its facts, or — when it only says what Sira itself does, keeps or offers (its settings,
 * hours, retention) — is `kind: setting`, with any digits listed.
 *
 * Refused: a key of the base language without an entry, a cited text not found in its section, a
 * run of digits in any language's text that is not in the cited text (a number, date or amount
 * that the fact sheet does not give), and anything that looks like a phone number or an address.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Flow } from '../engine/engine.types';
import { ContentProblem, LocaleResources, makeProblem } from './content.types';
import { digitRuns, localeStrings } from './locale-keys';
import { isRecord, readYaml } from './yaml-file';

export const SOURCES_FILE = 'sources.yaml';

interface SourceEntry {
  kind: 'facts' | 'ui' | 'setting';
  /** the cited texts, without their "§n " prefix */
  cited: string[];
  /** ui and setting: digits this text may hold (Sira's own settings, e.g. call hours), besides ui_digits */
  digits: string[];
}

export interface SourcesInput {
  localesDir: string;
  localesName: string;
  resources: LocaleResources;
  languages: string[];
  base: string;
  /** the flows, to know which keys are answers (message texts) and so can't be `ui` */
  flows?: Record<string, Flow>;
}

/** Namespaces whose texts are the engine's and the language chooser's own, never answers. */
const UI_NAMESPACES = ['common', 'language'];

export function checkSources(input: SourcesInput): ContentProblem[] {
  const display = `${input.localesName}/${SOURCES_FILE}`;
  const problems: ContentProblem[] = [];
  const report = (problem: string) => problems.push(makeProblem(display, undefined, problem));
  const path = join(input.localesDir, SOURCES_FILE);
  if (!existsSync(path)) return [makeProblem(display, undefined, 'file missing (every text needs its source)')];
  const raw = readYaml(path, display, problems);
  if (raw === undefined) return problems;
  if (!isRecord(raw) || !isRecord(raw.keys)) return [makeProblem(display, undefined, 'must be a mapping with "keys"')];
  const sections = readFacts(raw.facts_file, input.localesDir, report);
  const uiDigits = Array.isArray(raw.ui_digits) ? raw.ui_digits.map(String) : [];
  const entries = readEntries(raw.keys, sections, report);
  const baseKeys = localeStrings(input.resources, input.base);
  for (const key of baseKeys.keys()) {
    const entry = entryFor(entries, key);
    if (!entry) report(`no entry for "${key}" (add facts: ["§n …"] or kind: ui)`);
  }
  problems.push(...uiAnswers(input.flows ?? {}, entries, display));
  for (const lng of input.languages) {
    for (const [key, text] of localeStrings(input.resources, lng)) {
      const where = `${input.localesName}/${lng}/${key.split(':')[0]}.json`;
      const entry = entryFor(entries, key);
      for (const p of textProblems(text, entry, uiDigits)) problems.push(makeProblem(where, undefined, `"${key}": ${p}`));
    }
  }
  return problems;
}

function entryFor(entries: Map<string, SourceEntry>, key: string): SourceEntry | undefined {
  return entries.get(key) ?? entries.get(`${key.split(':')[0]}:*`);
}

function readEntries(keys: Record<string, unknown>, sections: Map<string, string> | null, report: (p: string) => void): Map<string, SourceEntry> {
  const entries = new Map<string, SourceEntry>();
  for (const [key, spec] of Object.entries(keys)) {
    if (isRecord(spec) && (spec.kind === 'ui' || spec.kind === 'setting')) {
      entries.set(key, { kind: spec.kind, cited: [], digits: Array.isArray(spec.digits) ? spec.digits.map(String) : [] });
      continue;
    }
    const facts = isRecord(spec) && Array.isArray(spec.facts) ? spec.facts.filter((f): f is string => typeof f === 'string') : [];
    if (facts.length === 0 || key.endsWith(':*')) {
      report(`"${key}": needs kind: ui, kind: setting or a non-empty list of facts`);
      continue;
    }
    const cited: string[] = [];
    for (const fact of facts) {
      const m = /^§(\d+)\s+(.+)$/s.exec(fact.trim());
      if (!m) report(`"${key}": fact "${fact}" must start with its section, e.g. "§2 …"`);
      else if (sections && !sections.get(m[1])?.includes(plain(m[2]))) report(`"${key}": fact not found in §${m[1]} of the fact sheet: "${m[2]}"`);
      else cited.push(m[2]);
    }
    entries.set(key, { kind: 'facts', cited, digits: [] });
  }
  return entries;
}

/** An answer (text of a message node) tagged `ui` would skip the source check: refused. */
function uiAnswers(flows: Record<string, Flow>, entries: Map<string, SourceEntry>, display: string): ContentProblem[] {
  const out = new Map<string, ContentProblem>();
  for (const flow of Object.values(flows)) {
    for (const node of Object.values(flow.nodes)) {
      if (node.type !== 'message' || UI_NAMESPACES.includes(node.text.split(':')[0])) continue;
      if (entryFor(entries, node.text)?.kind !== 'ui' || out.has(node.text)) continue;
      const problem = `"${node.text}": kind ui is only for menus, labels and prompts, and this is the answer of node "${flow.id}/${node.id}" (cite its facts, or kind: setting if it states only Sira's own settings)`;
      out.set(node.text, makeProblem(display, undefined, problem));
    }
  }
  return [...out.values()];
}

/** The fact sheet split by "## n." headings, in plain text (no emphasis marks, one space). */
function readFacts(file: unknown, localesDir: string, report: (p: string) => void): Map<string, string> | null {
  if (typeof file !== 'string') return null;
  let text: string;
  try {
    text = readFileSync(join(localesDir, file), 'utf8');
  } catch {
    report(`facts_file "${file}" cannot be read`);
    return null;
  }
  const sections = new Map<string, string>();
  let current = '';
  for (const line of text.split('\n')) {
    const heading = /^##\s+(\d+)\./.exec(line);
    if (heading) current = heading[1];
    if (current) sections.set(current, `${sections.get(current) ?? ''} ${plain(line)}`);
  }
  return sections;
}

function plain(text: string): string {
  return text.replace(/\*\*|\*|`/g, '').replace(/\s+/g, ' ').trim();
}

const PHONE = [/\+\d{3}/, /(?<!\d)\d{2}(?:([ .-])\d{2}(?:\1\d{2}){2}|\d{6})(?!\d)/, /(?<!\d)\d{9,}(?!\d)/];
const ADDRESS = [/\b(rue|avenue|boulevard|street|road)\s+\S/i, /\bB\.?P\.?\s*\d/, /\bP\.?O\.? Box\b/i, /[\w.-]+@[\w-]+\.\w+/, /https?:\/\/|\bwww\./i];

function textProblems(text: string, entry: SourceEntry | undefined, uiDigits: string[]): string[] {
  const out: string[] = [];
  if (PHONE.some((re) => re.test(text))) out.push('looks like a phone number; contacts come only from the verified referral directory');
  if (ADDRESS.some((re) => re.test(text))) out.push('looks like an address, e-mail or web link; these come only from the verified referral directory');
  if (!entry) return out;
  const allowed = new Set(entry.kind === 'facts' ? entry.cited.flatMap((c) => digitRuns(c)) : [...uiDigits, ...entry.digits]);
  const unsourced = [...new Set(digitRuns(text).filter((d) => !allowed.has(d)))];
  if (unsourced.length > 0) {
    const list = unsourced.map((d) => `"${d}"`).join(', ');
    out.push(entry.kind === 'facts' ? `digits ${list} not in the cited facts` : `digits ${list} not allowed in a ${entry.kind} text (list them in its "digits")`);
  }
  return out;
}
