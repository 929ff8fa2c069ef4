/**
 * The translators' spreadsheet round trip, as a translator runs it: `npm run i18n:export`, edits in
 * the CSV, `npm run i18n:import`, on a copy of the shipped flows and locales (never the real ones).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { loadContent } from '../../src/content/content.loader';
import { localeStrings } from '../../src/content/locale-keys';
import { ROOT } from '../support/service-process';
import { compiledCli } from '../support/cli';

jest.setTimeout(120_000);

interface Workspace {
  dir: string;
  flowsDir: string;
  localesDir: string;
  csv: string;
}

/** A copy of flows/, locales/ and the fact sheet the sources cite, in a temporary folder. */
function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'sira-i18n-'));
  for (const part of ['flows', 'locales', 'docs/domain-facts.md']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  return { dir, flowsDir: join(dir, 'flows'), localesDir: join(dir, 'locales'), csv: join(dir, 'translations.csv') };
}

function run(ws: Workspace, script: 'i18n-export' | 'i18n-import', args: string[]) {
  const [node, cli] = compiledCli(script);
  const result = spawnSync(node, [...cli, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', FLOWS_DIR: ws.flowsDir, LOCALES_DIR: ws.localesDir },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file of the locales folder, by path, to prove what an import did or did not write. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

/** Reads and rewrites the CSV the way a spreadsheet would, editing cells by key and column. */
function editCsv(path: string, edit: (row: Record<string, string>) => void, options: { delimiter?: string } = {}): string[] {
  const [header, ...rows] = parse(readFileSync(path), { bom: true }) as string[][];
  const edited = rows.map((cells) => {
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    edit(row);
    return header.map((h) => row[h]);
  });
  writeFileSync(path, stringify([header, ...edited], { bom: true, delimiter: options.delimiter ?? ',', record_delimiter: 'windows' }));
  return rows.map((cells) => cells[0]);
}

/** The spreadsheet row of a key: the header is row 1. */
const rowOf = (keys: string[], key: string) => keys.indexOf(key) + 2;

function texts(ws: Workspace, language: string): Map<string, string> {
  return localeStrings(loadContent({ flowsDir: ws.flowsDir, localesDir: ws.localesDir }).resources, language);
}

describe('i18n:export and i18n:import', () => {
  let ws: Workspace;
  beforeEach(() => (ws = workspace()));
  afterEach(() => rmSync(ws.dir, { recursive: true, force: true }));

  it('writes a CSV a spreadsheet opens cleanly: UTF-8 with BOM, every field quoted, one row per French text', () => {
    const out = run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    expect(out.status).toBe(0);
    const raw = readFileSync(ws.csv);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(raw, { bom: true }) as string[][];
    expect(header).toEqual(['key', 'french', 'bm', 'status', 'reviewed_by', 'reviewed_on', 'sources', 'sms_budget', 'sms_encoding', 'sms_segments', 'sms_where']);
    expect(rows).toHaveLength(texts(ws, 'fr').size);
    expect(raw.toString('utf8').split('\r\n')[1]).toMatch(/^"[^"]+","/);
    const overview = rows.find((r) => r[0] === 'reparations:overview')!;
    expect(overview[2]).toBe(texts(ws, 'bm').get('reparations:overview'));
    expect(overview[6]).toMatch(/^§2 /);
    expect(['GSM-7', 'UCS-2']).toContain(overview[8]);
    expect(Number(overview[9])).toBeGreaterThanOrEqual(1);
  });

  it('changes nothing when the exported CSV is imported back', () => {
    const before = snapshot(ws.localesDir);
    run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    const out = run(ws, 'i18n-import', [ws.csv]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('0 texts and 0 statuses changed');
    expect(snapshot(ws.localesDir)).toEqual(before);
  });

  it('changes exactly the one Bambara translation edited in the CSV, and says so', () => {
    const before = snapshot(ws.localesDir);
    const bmBefore = texts(ws, 'bm');
    run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    const edited = 'Sira ka menu. Nimɔrɔ kelen ci:';
    const keys = editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') row.bm = edited;
    });
    const out = run(ws, 'i18n-import', [ws.csv]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(`row ${rowOf(keys, 'menu:prompt')} bm menu:prompt`);
    expect(out.stdout).toContain(`  - ${bmBefore.get('menu:prompt')}`);
    expect(out.stdout).toContain(`  + ${edited}`);
    expect(out.stdout).toContain('1 text and 0 statuses changed; wrote locales/bm/menu.json');
    const after = snapshot(ws.localesDir);
    const changedFiles = [...after.keys()].filter((f) => after.get(f) !== before.get(f));
    expect(changedFiles).toEqual(['bm/menu.json']);
    const bmAfter = texts(ws, 'bm');
    const changedKeys = [...bmAfter.keys()].filter((k) => bmAfter.get(k) !== bmBefore.get(k));
    expect(changedKeys).toEqual(['menu:prompt']);
    expect(bmAfter.get('menu:prompt')).toBe(edited);
  });

  it('refuses a row that lost a placeholder, names its row, and writes nothing, not even the good rows', () => {
    const before = snapshot(ws.localesDir);
    run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    const [withPlaceholder, text] = [...texts(ws, 'bm')].find(([, t]) => /\{\{\w+\}\}/.test(t))!;
    const placeholder = /\{\{\w+\}\}/.exec(text)![0];
    const keys = editCsv(ws.csv, (row) => {
      if (row.key === withPlaceholder) row.bm = row.bm.replaceAll(placeholder, '');
      if (row.key === 'menu:prompt') row.bm = 'Sira ka menu. Nimɔrɔ kelen ci:';
    });
    const out = run(ws, 'i18n-import', [ws.csv]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`row ${rowOf(keys, withPlaceholder)} (${withPlaceholder}): placeholder ${placeholder} is missing (the French text has it)`);
    expect(out.stderr).toContain('nothing was written');
    expect(snapshot(ws.localesDir)).toEqual(before);
  });

  it('refuses a status raise that does not say who reviewed it, and records one that does', () => {
    run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    const keys = editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') row.status = 'reviewed';
    });
    const refused = run(ws, 'i18n-import', [ws.csv]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`row ${rowOf(keys, 'menu:prompt')} (menu:prompt): status raised from draft to reviewed without reviewed_by`);

    editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') Object.assign(row, { reviewed_by: 'A. Coulibaly (locutrice bambara)', reviewed_on: '2026-03-02' });
    });
    const accepted = run(ws, 'i18n-import', [ws.csv]);
    expect(accepted.stdout).toContain('status draft → reviewed (A. Coulibaly (locutrice bambara), 2026-03-02)');
    expect(accepted.stdout).toContain('wrote locales/review-status.yaml');
    const content = loadContent({ flowsDir: ws.flowsDir, localesDir: ws.localesDir });
    expect(content.problems).toEqual([]);
    expect(content.reviews.bm['menu:prompt']).toEqual({ status: 'reviewed', by: 'A. Coulibaly (locutrice bambara)', on: '2026-03-02' });
    expect(readFileSync(join(ws.localesDir, 'review-status.yaml'), 'utf8')).toContain('# Review status per language and key');
  });

  it('puts a reviewed text back to draft when its text changes under the same review', () => {
    run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') Object.assign(row, { status: 'reviewed', reviewed_by: 'A. Coulibaly', reviewed_on: '2026-03-02' });
    });
    expect(run(ws, 'i18n-import', [ws.csv]).status).toBe(0);
    editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') row.bm = 'Sira ka menu. Nimɔrɔ kelen ci:';
    });
    const out = run(ws, 'i18n-import', [ws.csv]);
    expect(out.stdout).toContain('status reviewed (A. Coulibaly, 2026-03-02) → draft (the text changed since it was reviewed: back to draft)');
    expect(loadContent({ flowsDir: ws.flowsDir, localesDir: ws.localesDir }).reviews.bm?.['menu:prompt']).toBeUndefined();
  });

  it('refuses characters outside the SMS alphabet, an SMS over the budget and a number without a source', () => {
    run(ws, 'i18n-export', ['--lang', 'en', '--out', ws.csv]);
    const keys = editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') row.en = 'Sira’s menu. Reply with a number:';
      if (row.key === 'reparations:overview') row.en = `${row.en} ${'More words to read. '.repeat(30)}`;
      if (row.key === 'help:about') row.en = `${row.en} Open 24 hours.`;
    });
    const out = run(ws, 'i18n-import', [ws.csv]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`row ${rowOf(keys, 'menu:prompt')} (menu:prompt): characters outside the SMS alphabet (GSM-7): "’" (U+2019)`);
    expect(out.stderr).toMatch(new RegExp(`row ${rowOf(keys, 'reparations:overview')} \\(reparations:overview\\): the SMS reparations/overview would be \\d+ segments`));
    expect(out.stderr).toContain(`row ${rowOf(keys, 'help:about')} (help:about): digits "24"`);
  });

  it('reads back a spreadsheet saved with semicolons, and refuses one saved in a Windows code page', () => {
    run(ws, 'i18n-export', ['--lang', 'bm', '--out', ws.csv]);
    editCsv(ws.csv, (row) => {
      if (row.key === 'menu:prompt') row.bm = 'Sira ka menu. Nimɔrɔ kelen ci:';
    }, { delimiter: ';' });
    expect(run(ws, 'i18n-import', [ws.csv, '--dry-run']).stdout).toContain('1 text and 0 statuses changed (dry run: nothing written)');
    writeFileSync(ws.csv, Buffer.from('key,french,bm\r\n"menu:prompt","Menu","Sira \xe9"\r\n', 'latin1'));
    const out = run(ws, 'i18n-import', [ws.csv]);
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('the file is not UTF-8');
  });
});
