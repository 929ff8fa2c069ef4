import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { loadConfig } from '../src/config/config';
import { ConfigModule } from '../src/config/config.module';
import { CONTENT, ContentModule } from '../src/content/content.module';
import { loadContent } from '../src/content/content.loader';
import { checkContent } from '../src/content/content.check';
import type { LoadedContent } from '../src/content/content.types';
import { loadFlows } from '../src/content/flow.loader';
import { loadLocales } from '../src/content/locales.loader';
import { step } from '../src/engine/step';

const FIXTURES = join(__dirname, 'fixtures');
const VALID = join(FIXTURES, 'valid-flows');
const broken = (name: string) => join(FIXTURES, 'broken-flows', name);
const paths = (dir: string) => ({ flowsDir: join(dir, 'flows'), localesDir: join(dir, 'locales') });

/** Each broken fixture and the exact lines it must produce (flows:check and boot alike). */
const CASES: Record<string, string[]> = {
  'unknown-target': ['flows/menu.yaml: node "main": unknown target "@nowhere"'],
  'unknown-action-type': ['flows/menu.yaml: node "bye": unknown action type "teleport"'],
  'unknown-node-type': ['flows/menu.yaml: node "info": unknown node type "video"'],
  'missing-key': ['flows/menu.yaml: node "info": i18n key "menu:info_text" missing in base language "fr"'],
  'missing-engine-key': ['locales/fr/common.json: i18n key "common:stale_button" missing in base language "fr"'],
  'missing-command-words': ['locales/fr/common.json: i18n key "common:commands.back" missing in base language "fr"'],
  'unreachable-node': ['flows/menu.yaml: node "orphan": unreachable (no path from the flow\'s start or from another flow)'],
  'dead-end-message': ['flows/menu.yaml: node "info": no way out (never reaches a question or an end)'],
  'message-loop': [
    'flows/menu.yaml: node "info": no way out (loops without reaching a question or an end)',
    'flows/menu.yaml: node "info_more": no way out (loops without reaching a question or an end)',
  ],
  'empty-menu': ['flows/menu.yaml: node "submenu": no way out (menu has no choices)'],
  'duplicate-label': ['flows/menu.yaml: node "main": duplicate keyword "kunnafoni" (bm) for choices "info" and "bye"'],
  'duplicate-keyword-number': ['flows/menu.yaml: node "main": duplicate keyword "2" (fr) for choices "bye" and "info"'],
  'id-mismatch': ['flows/menu.yaml: id "main_menu" does not match file name "menu"'],
  'yaml-syntax': ['flows/extra.yaml: YAML syntax error: Missing closing "quote at line 6, column 26'],
  'index-unknown-target': ['flows/_index.yaml: "home": unknown target "@nowhere"'],
  'missing-stop-command': ['flows/_index.yaml: missing "commands.stop"'],
  'undeclared-language': ['flows/menu.yaml: node "stopped": set_language: undeclared language "xx"'],
  'sources-missing-file': ['locales/sources.yaml: file missing (every text needs its source)'],
  'sources-missing-entry': ['locales/sources.yaml: no entry for "menu:info_text" (add facts: ["§n …"] or kind: ui)'],
  'sources-fact-not-found': ['locales/sources.yaml: "menu:info_text": fact not found in §2 of the fact sheet: "Décret 2022-0730/PT-RM of 23 Nov 2022"'],
  'sources-unsourced-number': ['locales/fr/menu.json: "menu:info_text": digits "5", "000" not in the cited facts'],
  'sources-digit-in-ui': ['locales/bm/menu.json: "menu:prompt": digits "2" not allowed in a ui text (list them in its "digits")'],
  'sources-ui-answer': ['locales/sources.yaml: "menu:info_text": kind ui is only for menus, labels and prompts, and this is the answer of node "menu/info" (cite its facts, or kind: setting if it states only Sira\'s own settings)'],
  'french-sms-over-two-segments': ['flows/menu.yaml: node "info": French SMS is 3 segments GSM-7 (max 2): shorten it'],
  'phone-in-text': ['locales/bm/menu.json: "menu:info_text": looks like a phone number; contacts come only from the verified referral directory'],
  'address-in-text': ['locales/fr/menu.json: "menu:info_text": looks like an address, e-mail or web link; these come only from the verified referral directory'],
  'review-status-invalid': [
    'locales/review-status.yaml: fr "menu:prompt": "reviewed" needs "by" (who) and "on" (date)',
    'locales/review-status.yaml: fr "menu:info": status must be one of draft, reviewed, legal',
    'locales/review-status.yaml: fr "menu:nowhere": no such text in locales/fr',
  ],
};

async function boot(dir: string): Promise<LoadedContent> {
  const config = loadConfig({ FLOWS_DIR: join(dir, 'flows'), LOCALES_DIR: join(dir, 'locales'), LOG_LEVEL: 'silent' });
  const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), ContentModule] }).compile();
  const content = app.get<LoadedContent>(CONTENT);
  await app.close();
  return content;
}

describe('content check on broken flows', () => {
  it.each(Object.entries(CASES))('%s: reports exactly its problem', (name, messages) => {
    expect(loadContent(paths(broken(name))).problems.map((p) => p.message)).toEqual(messages);
  });

  it.each(Object.entries(CASES))('%s: the service refuses to start with the same message', async (name, messages) => {
    const failure = boot(broken(name));
    await expect(failure).rejects.toThrow('Content check failed');
    const error = (await failure.catch((e: Error) => e)) as Error;
    for (const message of messages) expect(error.message).toContain(message);
  });

  it('has a fixture folder for every case and a case for every fixture folder', () => {
    const folders = require('node:fs').readdirSync(join(FIXTURES, 'broken-flows')).sort();
    expect(folders).toEqual(Object.keys(CASES).sort());
  });
});

describe('content check on valid flows', () => {
  it('finds no problem and boots, providing the flow set the engine runs on', async () => {
    expect(loadContent(paths(VALID)).problems).toEqual([]);
    const content = await boot(VALID);
    const first = step(content.flowSet, null, { kind: 'text', text: 'bonjour' }, { now: 0 });
    expect(first.outputs.map((o) => o.text)).toEqual(['menu:prompt']);
    // a label in Bambara, an extra French keyword and a Bambara stop word all work
    expect(step(content.flowSet, first.session, { kind: 'text', text: 'KUNNAFONI' }, { now: 1 }).outputs[0].text).toBe('menu:info_text');
    expect(step(content.flowSet, first.session, { kind: 'text', text: 'savoir' }, { now: 1 }).outputs[0].text).toBe('menu:info_text');
    expect(step(content.flowSet, first.session, { kind: 'text', text: 'Jo' }, { now: 1 }).events).toEqual([{ type: 'opted_out' }]);
  });

  it('checkContent finds a target broken after loading', () => {
    const { flows, index } = loadFlows(paths(VALID).flowsDir);
    const { resources, languages, base } = loadLocales(paths(VALID).localesDir);
    flows.menu.nodes.info = { id: 'info', type: 'message', text: 'menu:info_text', next: '@help' };
    const problems = checkContent({ flows, index, dropped: [], resources, languages, base, localesName: 'locales' });
    expect(problems.map((p) => p.message)).toEqual(['flows/menu.yaml: node "info": unknown target "@help"']);
  });

  it('reports translation coverage of the keys the flows use, per declared language', () => {
    const coverage = loadContent(paths(VALID)).coverage.map((c) => [c.code, c.translated, c.total]);
    // 5 flow keys + 3 engine texts + 7 command word lists = 15; bm translates 3 menu texts and "stop"
    expect(coverage).toEqual([['fr', 15, 15], ['bm', 4, 15], ['en', 0, 15]]);
  });
});

describe('the shipped content', () => {
  it('passes the check', () => {
    const root = join(__dirname, '..');
    expect(loadContent({ flowsDir: join(root, 'flows'), localesDir: join(root, 'locales') }).problems.map((p) => p.message)).toEqual([]);
  });
});

describe('npm run flows:check', () => {
  const run = (dir: string) =>
    spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/flows-check.cli.ts'], {
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH, FLOWS_DIR: join(dir, 'flows'), LOCALES_DIR: join(dir, 'locales') },
      encoding: 'utf8',
    });

  it('prints each problem and exits 1 on broken flows', () => {
    const result = run(broken('unknown-target'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('flows/menu.yaml: node "main": unknown target "@nowhere"');
  });

  it('prints a coverage row per language and exits 0 on valid flows', () => {
    const result = run(VALID);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/fr \(Français\)\s+15\/15\s+100%/);
    expect(result.stdout).toMatch(/bm \(Bamanankan\)\s+4\/15\s+27%/);
    expect(result.stdout).toMatch(/en \(English\)\s+0\/15\s+0%/);
  });
});
