/**
 * `npm run flows:graph [-- --check] [--out DIR]`
 *
 * Writes one Mermaid diagram per flow to docs/flows/ (and an index), from the flows and the base
 * language's texts the service would load. `--check` writes nothing and fails when the committed
 * diagrams differ from what the content gives today (a flow edited without regenerating them).
 */
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { loadContent } from '../content/content.loader';
import { flowGraphFiles, staleGraphs } from '../content/authoring/flow-graphs';

const DEFAULT_OUT = 'docs/flows';

function main(): number {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false }, out: { type: 'string', default: DEFAULT_OUT } } });
  const content = loadContent(loadConfig().content);
  if (content.problems.length > 0) {
    for (const p of content.problems) console.error(p.message);
    console.error('flows:graph: fix the content first (npm run flows:check)');
    return 1;
  }
  const dir = resolve(values.out);
  const files = flowGraphFiles(content);
  const stale = staleGraphs(dir, files);
  if (values.check) {
    if (stale.length > 0) {
      console.error(`flows:graph: out of date in ${values.out}: ${stale.join(', ')} (run npm run flows:graph)`);
      return 1;
    }
    console.log(`flows:graph: ${files.size} files in ${values.out} are up to date`);
    return 0;
  }
  mkdirSync(dir, { recursive: true });
  for (const name of stale) {
    if (files.has(name)) writeFileSync(join(dir, name), files.get(name) as string);
    else unlinkSync(join(dir, name));
  }
  console.log(`flows:graph: ${files.size} files in ${values.out}, ${stale.length} changed`);
  return 0;
}

process.exitCode = main();
