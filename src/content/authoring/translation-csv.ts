/**
 * The CSV a translator opens in a spreadsheet: UTF-8 with a byte order mark (so Excel and LibreOffice
 * read Bambara letters right), every field quoted, one row per text, and the language named by the
 * third column's header. Reading accepts what spreadsheets write back: a comma or semicolon
 * separator, with or without the BOM, CRLF line ends.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { TranslationRow } from './translation-table';

/** Columns after `key, french, <language>`. */
export const INFO_COLUMNS = ['status', 'reviewed_by', 'reviewed_on', 'sources', 'sms_budget', 'sms_encoding', 'sms_segments', 'sms_where'] as const;

export function csvHeader(language: string): string[] {
  return ['key', 'french', language, ...INFO_COLUMNS];
}

export function toCsv(language: string, rows: TranslationRow[]): string {
  const records = rows.map((r) => [r.key, r.french, r.text, r.status, r.reviewedBy, r.reviewedOn, r.sources, String(r.smsBudget), r.smsEncoding, String(r.smsSegments), r.smsWhere]);
  // escape_formulas: a text starting with = + - @ must not run as a formula in the spreadsheet.
  return stringify([csvHeader(language), ...records], { bom: true, quoted: true, quoted_empty: true, record_delimiter: 'windows', escape_formulas: true });
}

/** One data row as read back: `row` is the spreadsheet's row number (the header is row 1). */
export interface CsvRow {
  row: number;
  key: string;
  french: string;
  text: string;
  status: string;
  reviewedBy: string;
  reviewedOn: string;
}

export interface ParsedCsv {
  language: string;
  rows: CsvRow[];
}

export class CsvFormatError extends Error {}

export function parseCsv(data: Buffer): ParsedCsv {
  const text = decodeUtf8(data);
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(',') ? ',' : ';';
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new CsvFormatError(`not a readable CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  const language = readHeader(header ?? []);
  const rows = body.map((cells, i) => ({
    row: i + 2,
    key: cells[0].trim(),
    french: cell(cells[1]),
    text: cell(cells[2]),
    status: cells[3].trim(),
    reviewedBy: cells[4].trim(),
    reviewedOn: cells[5].trim(),
  }));
  return { language, rows };
}

function readHeader(header: string[]): string {
  const language = (header[2] ?? '').trim();
  const expected = csvHeader(language);
  const got = header.map((h) => h.trim());
  if (!/^[a-z]{2,3}$/.test(language) || got.slice(0, 6).join(',') !== expected.slice(0, 6).join(',')) {
    throw new CsvFormatError(`the first row must be the header ${expected.slice(0, 6).join(', ')}, … (as written by npm run i18n:export)`);
  }
  return language;
}

/** Spreadsheets saved as "CSV" in a Windows locale write Windows-1252, which would garble ɛ ɔ ɲ ŋ. */
function decodeUtf8(data: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw new CsvFormatError('the file is not UTF-8: save it as "CSV UTF-8" (Excel) or with the UTF-8 character set (LibreOffice)');
  }
}

/**
 * A text cell as the locales hold it: undoes csv-stringify's escape_formulas (a leading ' before
 * = + - @ tab or CR) and the CRLF line ends some spreadsheets write inside a cell.
 */
function cell(value: string): string {
  const text = value.replace(/\r\n/g, '\n');
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}
