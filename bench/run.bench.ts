import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../test/support/service-process';
import { renderTable, type Figure } from './bench-table';
import { engineFigures } from './engine.bench';
import { smsCostFigures } from './sms-cost.bench';
import { latencyChartSvg } from './latency-chart';
import { httpAdapterFigures } from './http-adapters.bench';
import { redisTripFigures } from './redis-trips.bench';
import { webhookFigures } from './webhooks.bench';
import { broadcastFigures } from './broadcast-enqueue.bench';

/**
 * `npm run bench`: every figure beside its baseline, measured in this run, alternating rounds,
 * median of BENCH_ROUNDS (≥ 3). Prints one table and writes docs/performance.md.
 */
const ROOT = join(__dirname, '..');
const settings = {
  rounds: Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3)),
  seconds: Number(process.env.BENCH_SECONDS ?? 5),
  conversations: Number(process.env.BENCH_CONVERSATIONS ?? 10_000),
  engineSteps: Number(process.env.BENCH_ENGINE_STEPS ?? 20_000),
  callbacksPerRound: Number(process.env.BENCH_CALLBACKS ?? 150),
};

const log = (s: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function machine(): string {
  const nproc = execSync('nproc').toString().trim();
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  return `${nproc} cores (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}; load average at the end ${load} (1/5/15 min; the machine is shared)`;
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!(global as { gc?: unknown }).gc) throw new Error('run with node --expose-gc (npm run bench does)');
  log('building the service (what npm start runs)');
  ensureBuilt();
  const figures: Figure[] = [];
  // BENCH_ONLY=webhooks (or sms,engine,callbacks,memory) runs a part, e.g. while profiling
  const only = (part: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(part);
  if (only('sms')) log('SMS cost');
  if (only('sms')) figures.push(...smsCostFigures());
  if (only('engine')) log('engine step vs switch');
  if (only('engine')) figures.push(...(await engineFigures(settings.rounds, settings.engineSteps)));
  // loaded only now: it takes the shell's classes from the build just made
  const { callbackFigures, memoryFigures } = await import('./in-process.bench');
  if (only('callbacks')) log('callback creation vs raw insert + queue.add');
  if (only('callbacks')) figures.push(...(await callbackFigures(settings.rounds, settings.callbacksPerRound)));
  if (only('memory')) log(`memory at ${settings.conversations} conversations`);
  if (only('memory')) figures.push(...(await memoryFigures(settings.conversations)));
  if (only('webhooks')) figures.push(...(await webhookFigures({ rounds: settings.rounds, seconds: settings.seconds }, log)));
  if (only('adapters')) log('NestJS on Fastify vs Express (the HTTP layer alone)');
  if (only('adapters')) figures.push(...(await httpAdapterFigures(settings.rounds, settings.seconds)));
  if (only('webhooks') || only('trips')) log('Redis round trips per SMS turn (counting proxy)');
  if (only('webhooks') || only('trips')) figures.push(...(await redisTripFigures()));
  // issue 26: one broadcast to BENCH_BROADCAST_SUBSCRIBERS (100,000) subscribers seeded in its own database
  if (only('broadcast')) log(`broadcast to ${process.env.BENCH_BROADCAST_SUBSCRIBERS ?? 100_000} subscribers`);
  if (only('broadcast')) figures.push(...(await broadcastFigures(undefined, log)));
  const table = renderTable(figures);
  console.log(table);
  const minutes = (Date.now() - started) / 60_000;
  for (const f of figures.filter((f) => f.note)) console.log(`- ${f.name}: ${f.note}`);
  // BENCH_REPORT=1: a partial run rewrites docs/performance.md too (with only its figures)
  if (!process.env.BENCH_ONLY || process.env.BENCH_REPORT) await writeReport(table, figures, minutes);
  // machine-readable: docs/performance.json beside the report, or BENCH_RESULTS=<file> (a partial run too)
  const results = process.env.BENCH_RESULTS ?? (process.env.BENCH_ONLY ? undefined : join(ROOT, 'docs', 'performance.json'));
  if (results) writeResults(results, figures, minutes);
  writeLatest(figures);
  log(`done in ${minutes.toFixed(1)} min; ${process.env.BENCH_ONLY ? 'a partial run: docs/performance.md left as it was' : 'docs/performance.md written'}${results ? `; results in ${results}` : ''}`);
}

/**
 * bench/results/latest.json: one row per goal of issue 28 measured in this run (stable kebab-case names),
 * for a machine to check; a partial run (BENCH_ONLY) holds only its own rows.
 */
function writeLatest(figures: Figure[]): void {
  const rows = figures.flatMap((f) => (f.row ? [{ ...f.row, ratio: Number(f.row.ratio.toFixed(3)), value: Number(f.row.value.toFixed(2)), baseline: Number(f.row.baseline.toFixed(2)) }] : []));
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify({ commit: commit(), machine: machine(), at: new Date().toISOString(), only: process.env.BENCH_ONLY ?? null, rows }, null, 2)}\n`);
}

function writeResults(file: string, figures: Figure[], minutes: number): void {
  const run = { at: new Date().toISOString(), commit: commit(), machine: machine(), minutes: Number(minutes.toFixed(1)), settings, only: process.env.BENCH_ONLY ?? null };
  writeFileSync(file, `${JSON.stringify({ run, figures: figures.map((f) => ({ ...f, ratio: Number(f.ratio.toFixed(3)) })) }, null, 2)}\n`);
}

async function writeReport(table: string, figures: Figure[], minutes: number): Promise<void> {
  const latency = figures.flatMap((f) => f.latency ?? []);
  const chart = latency.length ? 'performance-latency.svg' : undefined;
  if (chart) writeFileSync(join(ROOT, 'docs', chart), await latencyChartSvg(latency, `Webhook latency per path, ${commit()}`));
  const notes = figures.filter((f) => f.note).map((f) => `- ${f.name}: ${f.note}`);
  const profile = join(ROOT, 'bench', 'profile-notes.md');
  const lines = [
    '# Performance',
    '',
    `Run of \`npm run bench\` on ${new Date().toISOString()} at commit ${commit()} — ${machine()}; took ${minutes.toFixed(1)} min.`,
    `Settings: ${settings.rounds} alternating rounds per figure (median), ${settings.seconds} s per load round, ${settings.conversations} conversations for memory, ${settings.engineSteps} engine steps and ${settings.callbacksPerRound} callback requests per round.`,
    'Every figure is a ratio of two measurements taken side by side in this run on loopback, never an absolute promise:',
    'the webhooks are the compiled service as a process (PostgreSQL and Redis of the machine, LOG_LEVEL=warn) against a bare',
    '`node:http` server in its own process answering the same bytes; load by autocannon, each request with a fresh',
    'MessageSid / update_id and a valid signature / secret token.',
    '',
    table,
    '',
    ...(chart ? [`![Latency percentiles per path (p50, p99; ms)](${chart})`, ''] : []),
    ...(notes.length ? ['Notes:', '', ...notes, ''] : []),
    ...(existsSync(profile) ? [readFileSync(profile, 'utf8').trim(), ''] : []),
  ];
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  writeFileSync(join(ROOT, 'docs', 'performance.md'), lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
