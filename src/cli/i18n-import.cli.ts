/**
 * `npm run i18n:import -- translations-bm.csv [--dry-run]`
 *
 * Reads back a spreadsheet written by `i18n:export`, checks every row (placeholders, SMS alphabet and
 * segment budget, numbers and their sources, who raised a review status) and prints what changes.
 * When any row is refused, each refusal is printed with its row number and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { loadContent } from '../content/content.loader';
import { CsvFormatError, parseCsv } from '../content/authoring/translation-csv';
import { planImport } from '../content/authoring/translation-import';
import { changeLines, refusalLines, summaryLine } from '../content/authoring/translation-report';
import { writeImport } from '../content/authoring/translation-writer';

function main(): number {
  const { values, positionals } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length !== 1) {
    console.error('usage: npm run i18n:import -- FILE.csv [--dry-run]');
    return 2;
  }
  const config = loadConfig();
  const content = loadContent(config.content);
  if (content.problems.length > 0) {
    for (const p of content.problems) console.error(p.message);
    console.error('i18n:import: the content on disk has problems (npm run flows:check); fix them first. Nothing was written.');
    return 1;
  }
  let csv;
  try {
    csv = parseCsv(readFileSync(positionals[0]));
  } catch (error) {
    if (!(error instanceof CsvFormatError)) throw error;
    console.error(`i18n:import: ${positionals[0]}: ${error.message}. Nothing was written.`);
    return 1;
  }
  const today = new Date().toISOString().slice(0, 10);
  const plan = planImport(content, csv, { ...config.sms, today, localesDir: config.content.localesDir });
  console.log(`i18n:import: ${positionals[0]} (${csv.language}, ${csv.rows.length} rows)`);
  if (plan.refusals.length > 0) {
    for (const line of refusalLines(plan)) console.error(line);
    const rows = new Set(plan.refusals.map((r) => r.row)).size;
    console.error(`i18n:import refused ${rows} row${rows === 1 ? '' : 's'}: nothing was written`);
    return 1;
  }
  for (const line of [...changeLines(plan), ...plan.notes]) console.log(line);
  if (values['dry-run'] || (plan.texts.length === 0 && plan.statuses.length === 0)) {
    console.log(`${summaryLine(plan)}${values['dry-run'] ? ' (dry run: nothing written)' : ''}`);
    return 0;
  }
  const written = writeImport(config.content.localesDir, content.resources, plan);
  console.log(`${summaryLine(plan)}; wrote ${written.join(', ')}`);
  return 0;
}

process.exitCode = main();
