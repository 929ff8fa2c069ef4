import type { LocaleResources } from './content.types';
import { isRecord } from './yaml-file';

/** Every string of one language as `namespace:dotted.path` → text (what i18next would look up). */
export function localeStrings(resources: LocaleResources, lng: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') out.set(path, value);
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, path.endsWith(':') ? `${path}${k}` : `${path}.${k}`);
  };
  for (const [ns, tree] of Object.entries(resources[lng] ?? {})) walk(tree, `${ns}:`);
  return out;
}

/** Runs of digits in a text: "4 800 000 FCFA, loi 2022-041" → ["4", "800", "000", "2022", "041"]. */
export function digitRuns(text: string): string[] {
  return text.match(/\d+/g) ?? [];
}
