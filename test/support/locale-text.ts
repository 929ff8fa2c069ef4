import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './service-process';

/** The text of an i18next key `namespace:dotted.path` in a language, read from the shipped locales. */
export function localeText(lang: string, key: string): string {
  const [ns, path] = key.split(':');
  const json = JSON.parse(readFileSync(join(ROOT, 'locales', lang, `${ns}.json`), 'utf8')) as Record<string, unknown>;
  const value = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], json);
  if (typeof value !== 'string') throw new Error(`no text for ${lang} ${key}`);
  return value;
}
