/**
 * Writes an accepted import plan: the changed locale files (`locales/<lng>/<ns>.json`) and the review
 * statuses (`locales/review-status.yaml`, keeping its comments). Called only for a plan without
 * refusals; every file is prepared before the first one is written, so a failure to prepare leaves
 * everything as it was.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument, YAMLMap } from 'yaml';
import type { LocaleResources } from '../content.types';
import { REVIEW_FILE } from '../review-status';
import { localeJson, setLocaleText } from './locale-tree';
import type { ImportPlan } from './translation-import';

export function writeImport(localesDir: string, resources: LocaleResources, plan: ImportPlan): string[] {
  const files = new Map<string, string>();
  const next: LocaleResources = structuredClone(resources);
  const namespaces = new Set<string>();
  for (const change of plan.texts) {
    setLocaleText(next, plan.language, change.key, change.after);
    namespaces.add(change.key.split(':')[0]);
  }
  for (const ns of namespaces) files.set(join(plan.language, `${ns}.json`), localeJson(next[plan.language][ns]));
  if (plan.statuses.length > 0) files.set(REVIEW_FILE, reviewYaml(join(localesDir, REVIEW_FILE), plan));
  for (const [name, text] of files) {
    mkdirSync(dirname(join(localesDir, name)), { recursive: true });
    writeFileSync(join(localesDir, name), text);
  }
  return [...files.keys()].map((name) => `locales/${name}`);
}

function reviewYaml(path: string, plan: ImportPlan): string {
  const doc = parseDocument(existsSync(path) ? readFileSync(path, 'utf8') : 'statuses: {}\n');
  if (!(doc.get('statuses') instanceof YAMLMap)) doc.set('statuses', doc.createNode({}));
  const statuses = doc.get('statuses') as YAMLMap;
  statuses.flow = false;
  for (const change of plan.statuses) {
    if (change.after) {
      const { status, by, on } = change.after;
      doc.setIn(['statuses', plan.language, change.key], doc.createNode({ status, by, on }, { flow: true }));
    } else {
      doc.deleteIn(['statuses', plan.language, change.key]);
    }
  }
  const lang = statuses.get(plan.language);
  if (lang instanceof YAMLMap && lang.items.length === 0) statuses.delete(plan.language);
  if (statuses.items.length === 0) statuses.flow = true;
  return doc.toString();
}
