import { join } from 'node:path';
import { ensureBuilt, ROOT } from './service-process';

/**
 * The compiled `src/cli/<script>.cli.ts`, as `[node, [file]]` to spawn: the same code the `npm run`
 * scripts run through tsx, without compiling it again at each call (3-4 s a call, most of a CLI test).
 * The build is refreshed first when a source is newer.
 */
export function compiledCli(script: string): [string, string[]] {
  ensureBuilt();
  return [process.execPath, [join(ROOT, 'dist', 'src', 'cli', `${script}.cli.js`)]];
}
