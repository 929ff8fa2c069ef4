// `npm start` runs the compiled service; this rebuilds it only when a source is newer than the build,
// so a second start takes seconds instead of a full `nest build` (issue 20 §4). `npm run dev` watches.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const main = join(root, 'dist', 'src', 'main.js');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'];

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

const built = existsSync(main) ? statSync(main).mtimeMs : 0;
const sources = Math.max(...inputs.map((p) => newest(join(root, p))));
if (built >= sources) process.exit(0);
console.error(built ? 'sources changed since the last build: building…' : 'first start: building…');
const result = spawnSync('npx', ['nest', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
