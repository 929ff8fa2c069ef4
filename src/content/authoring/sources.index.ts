/**
 * What each text rests on, from `locales/sources.yaml` (see src/content/sources.check.ts for the
 * format), as one line a reviewer can read in a spreadsheet cell: `ui`, or the cited facts.
 * Read only: sources are edited in the YAML, next to the check that enforces them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentProblem } from '../content.types';
import { SOURCES_FILE } from '../sources.check';
import { isRecord, readYaml } from '../yaml-file';

export function sourcesByKey(localesDir: string): (key: string) => string {
  const path = join(localesDir, SOURCES_FILE);
  const problems: ContentProblem[] = [];
  const raw = existsSync(path) ? readYaml(path, SOURCES_FILE, problems) : undefined;
  const keys = isRecord(raw) && isRecord(raw.keys) ? raw.keys : {};
  return (key) => {
    const entry = keys[key] ?? keys[`${key.split(':')[0]}:*`];
    if (!isRecord(entry)) return '';
    if (entry.kind === 'ui' || entry.kind === 'setting') return entry.kind;
    return Array.isArray(entry.facts) ? entry.facts.map(String).join(' | ') : '';
  };
}
