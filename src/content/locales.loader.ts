/**
 * Reads `LOCALES_DIR`:
 *   languages.json           { "base": "fr", "languages": [ { "code": "fr", "name": "Français" }, … ] }
 *   <lng>/<namespace>.json   nested JSON; key "reparations:menu.forms" = reparations.json → menu → forms
 * A declared language without a folder is allowed: it falls back to the base language.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ContentProblem, LanguageInfo, LocaleResources, makeProblem } from './content.types';
import { isRecord } from './yaml-file';

export interface LoadedLocales {
  resources: LocaleResources;
  languages: LanguageInfo[];
  base: string;
  problems: ContentProblem[];
}

export function loadLocales(localesDir: string): LoadedLocales {
  const problems: ContentProblem[] = [];
  const dirName = basename(localesDir.replace(/\/+$/, '')) || 'locales';
  const declared = readLanguages(localesDir, dirName, problems);
  const resources: LocaleResources = {};
  for (const { code } of declared.languages) {
    const dir = join(localesDir, code);
    if (!existsSync(dir)) continue;
    resources[code] = {};
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const json = readJson(join(dir, file), `${dirName}/${code}/${file}`, problems);
      if (json === undefined) continue;
      if (!isRecord(json)) problems.push(makeProblem(`${dirName}/${code}/${file}`, undefined, 'must be a JSON object'));
      else resources[code][file.replace(/\.json$/, '')] = json;
    }
  }
  return { resources, ...declared, problems };
}

function readLanguages(localesDir: string, dirName: string, problems: ContentProblem[]): { languages: LanguageInfo[]; base: string } {
  const display = `${dirName}/languages.json`;
  const raw = readJson(join(localesDir, 'languages.json'), display, problems);
  if (raw === undefined) return { languages: [], base: 'fr' };
  const list = isRecord(raw) && Array.isArray(raw.languages) ? raw.languages : [];
  const languages = list
    .filter((l): l is Record<string, unknown> => isRecord(l) && typeof l.code === 'string' && /^[a-z]{2,3}$/.test(l.code))
    .map((l) => ({ code: l.code as string, name: typeof l.name === 'string' ? l.name : (l.code as string) }));
  if (languages.length !== list.length) problems.push(makeProblem(display, undefined, 'each language needs a "code" (2–3 lowercase letters) and a "name"'));
  const base = isRecord(raw) && typeof raw.base === 'string' ? raw.base : '';
  if (!languages.some((l) => l.code === base)) problems.push(makeProblem(display, undefined, `base language "${base}" is not declared`));
  return { languages, base: base || 'fr' };
}

function readJson(path: string, display: string, problems: ContentProblem[]): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    problems.push(makeProblem(display, undefined, 'file missing'));
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    problems.push(makeProblem(display, undefined, `JSON syntax error: ${(err as Error).message.split('\n')[0]}`));
    return undefined;
  }
}

/** The text of `ns:dotted.path` in one language, without fallback; undefined when absent or not a string. */
export function lookupKey(resources: LocaleResources, lng: string, key: string): string | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0) return undefined;
  let value: unknown = resources[lng]?.[key.slice(0, colon)];
  for (const part of key.slice(colon + 1).split('.')) {
    if (!isRecord(value)) return undefined;
    value = value[part];
  }
  return typeof value === 'string' ? value : undefined;
}
