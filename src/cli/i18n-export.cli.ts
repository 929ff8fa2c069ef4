/**
 * `npm run i18n:export -- --lang bm [--out translations-bm.csv]`
 *
 * Writes the translator's spreadsheet for one language: every French text, its translation, review
 * status, sources and SMS cost (see src/content/authoring/translation-csv.ts). Read it back with
 * `npm run i18n:import -- translations-bm.csv`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { loadContent } from '../content/content.loader';
import { toCsv } from '../content/authoring/translation-csv';
import { translationTable } from '../content/authoring/translation-table';

function main(): number {
  const { values } = parseArgs({ options: { lang: { type: 'string' }, out: { type: 'string' } } });
  const config = loadConfig();
  const content = loadContent(config.content);
  const codes = content.languages.map((l) => l.code);
  if (!values.lang || !codes.includes(values.lang)) {
    console.error(`usage: npm run i18n:export -- --lang <${codes.join('|')}> [--out FILE.csv]`);
    return 2;
  }
  for (const p of content.problems) console.error(`warning: ${p.message}`);
  const rows = translationTable(content, values.lang, config.content.localesDir, config.sms);
  const out = values.out ?? `translations-${values.lang}.csv`;
  writeFileSync(out, toCsv(values.lang, rows));
  const translated = rows.filter((r) => r.text !== '').length;
  console.log(`i18n:export: ${rows.length} texts (${translated} translated in ${values.lang}) written to ${out}`);
  return 0;
}

process.exitCode = main();
