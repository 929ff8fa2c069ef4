import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** flows:check refuses a proactive text (sent without her asking) that says what the exchange is about. */
const VALID = join(__dirname, 'fixtures', 'valid-flows');

function withProactiveText(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sira-discretion-'));
  cpSync(VALID, dir, { recursive: true });
  writeFileSync(join(dir, 'locales', 'fr', 'callback.json'), JSON.stringify({ proactive: { status: text } }));
  appendFileSync(join(dir, 'locales', 'sources.yaml'), '  "callback:*": { kind: ui }\n');
  return dir;
}

function flowsCheck(dir: string) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/flows-check.cli.ts'], {
    cwd: join(__dirname, '..'),
    env: { PATH: process.env.PATH, FLOWS_DIR: join(dir, 'flows'), LOCALES_DIR: join(dir, 'locales') },
    encoding: 'utf8',
  });
}

describe('npm run flows:check: discretion of proactive texts', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('fails, naming the key and the word, on a proactive status text that says a new call is planned', () => {
    const dir = withProactiveText('Demande {{code}} : pas de réponse, un nouvel appel est prévu à vos heures.');
    dirs.push(dir);
    const result = flowsCheck(dir);
    expect(result.stderr).toContain('discretion: fr callback:proactive.status: names "appel"');
    expect(result.status).toBe(1);
  });

  it('passes the neutral "reply STATUT <code> for news" text', () => {
    const dir = withProactiveText('Répondez STATUT {{code}} pour des nouvelles.');
    dirs.push(dir);
    const result = flowsCheck(dir);
    expect(result.stderr).not.toContain('discretion:');
    expect(result.status).toBe(0);
  });
});
