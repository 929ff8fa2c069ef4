import type { LocaleResources } from '../content.types';
import { isRecord } from '../yaml-file';

/**
 * Sets `ns:dotted.path` in one language's resources, creating the namespace and the nested objects
 * it needs (a language that did not translate a namespace yet gets it). Existing keys keep their place.
 */
export function setLocaleText(resources: LocaleResources, language: string, key: string, text: string): void {
  const colon = key.indexOf(':');
  const ns = key.slice(0, colon);
  const path = key.slice(colon + 1).split('.');
  const byNs = (resources[language] ??= {});
  let node: Record<string, unknown> = (byNs[ns] ??= {});
  for (const part of path.slice(0, -1)) {
    if (!isRecord(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = text;
}

/** A locale file exactly as the repository writes them: two-space JSON and a final newline. */
export function localeJson(tree: Record<string, unknown>): string {
  return `${JSON.stringify(tree, null, 2)}\n`;
}
