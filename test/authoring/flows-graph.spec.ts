/**
 * `npm run flows:graph`: one diagram per flow, with the French text of each step and the choices as
 * she sees them, and the committed docs/flows/ must be what the content gives today.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowGraphFiles, staleGraphs } from '../../src/content/authoring/flow-graphs';
import { flowMermaid } from '../../src/content/authoring/flow-mermaid';
import { loadContent } from '../../src/content/content.loader';
import type { Flow } from '../../src/engine/engine.types';
import { ROOT } from '../support/service-process';

jest.setTimeout(60_000);

const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const files = flowGraphFiles(content);

describe('flow diagrams', () => {
  it('draws every flow, each step with its French text and each menu choice numbered as in an SMS', () => {
    const flows = Object.values(content.flowSet.flows);
    expect(flows.length).toBeGreaterThan(5);
    for (const flow of flows) {
      const page = files.get(`${flow.id}.md`);
      expect(page).toContain('```mermaid\nflowchart TD');
      for (const node of Object.values(flow.nodes)) {
        expect(page).toContain(`n_${node.id}`);
        if (node.type !== 'menu') continue;
        node.choices.forEach((choice, i) => {
          const label = lookup(choice.label);
          expect(page).toContain(`-- "${i + 1} ${label.replace(/"/g, '#quot;')}" -->`);
        });
      }
    }
    expect(files.get('menu.md')).toContain(lookup('menu:prompt'));
  });

  it('matches the committed docs/flows (run npm run flows:graph after changing a flow or a French text)', () => {
    expect(staleGraphs(join(ROOT, 'docs/flows'), files)).toEqual([]);
  });

  it('reports a stale, a missing and a left-over diagram by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sira-graphs-'));
    try {
      for (const [name, text] of files) writeFileSync(join(dir, name), text);
      writeFileSync(join(dir, 'menu.md'), `${files.get('menu.md')}edited by hand\n`);
      rmSync(join(dir, 'help.md'));
      writeFileSync(join(dir, 'old_flow.md'), '# gone\n');
      expect(staleGraphs(dir, files)).toEqual(['help.md', 'menu.md', 'old_flow.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a node named like a Mermaid keyword and a text with quotes from breaking the diagram', () => {
    const flow: Flow = {
      id: 'demo',
      file: 'flows/demo.yaml',
      start: 'ask',
      expiryMs: 1000,
      sensitive: false,
      nodes: {
        ask: { id: 'ask', type: 'menu', text: 'demo:q', choices: [{ id: 'a', label: 'demo:a', go: 'end' }] },
        end: { id: 'end', type: 'action', action: { type: 'end' } },
      },
    };
    const texts: Record<string, string> = { 'demo:q': 'Dites "oui" <ou> #non', 'demo:a': 'Oui' };
    const graph = flowMermaid(flow, { flows: { demo: flow }, base: 'fr', text: (k) => texts[k] });
    expect(graph).toContain('n_ask[["ask (menu): Dites #quot;oui#quot; #lt;ou#gt; #35;non"]]');
    expect(graph).toContain('n_ask -- "1 Oui" --> n_end');
    expect(graph).not.toMatch(/^\s+end\b/m);
  });

  it('fails the --check run when a diagram is out of date and passes when it is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sira-graphs-cli-'));
    try {
      const run = (args: string[]) => spawnSync('npx', ['tsx', 'src/cli/flows-graph.cli.ts', '--out', dir, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(run(['--check']).status).toBe(1);
      expect(run([]).stdout).toContain(`${files.size} changed`);
      expect(run(['--check']).status).toBe(0);
      expect(readFileSync(join(dir, 'reparations.md'), 'utf8')).toBe(files.get('reparations.md'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function lookup(key: string): string {
  const [ns, path] = key.split(':');
  const value = path.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown>)?.[p], content.resources.fr[ns]);
  return String(value);
}
