import { readFileSync } from 'node:fs';

/** `tsx bench/profile-summary.ts file.cpuprofile`: self time by function and by package, top 25. */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
const profile = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const f = byId.get(id)!.callFrame;
  const where = f.url.replace(/^.*node_modules\//, 'nm:').replace(/^.*\/(dist|src)\//, '$1/');
  add(fns, `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber}`, ms);
  add(pkgs, f.url.includes('node_modules/') ? f.url.split('node_modules/')[1]!.split('/').slice(0, f.url.split('node_modules/')[1]!.startsWith('@') ? 2 : 1).join('/') : f.url.startsWith('node:') ? 'node core' : f.url ? 'sira' : f.functionName, ms);
}
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`total ${total.toFixed(0)} ms\n\nby package:\n${top(pkgs)}\n\nby function:\n${top(fns)}`);
