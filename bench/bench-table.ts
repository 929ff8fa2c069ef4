/**
 * One line of the result table: our figure beside its baseline, measured side by side in the same
 * run. `higherIsBetter` says which way the ratio reads; `met` compares it with the target.
 */
export interface Figure {
  name: string;
  ours: string;
  baseline: string;
  ratio: number;
  target: string;
  /** 'n/a': a reference line (e.g. a ceiling), no target of its own. */
  met: boolean | 'n/a';
  note?: string;
  /** the figure as a row of bench/results/latest.json (issue 28's goals): a stable kebab-case name, numbers. */
  row?: ResultRow;
  /** latency percentiles (ms) per path measured for this figure: drawn in docs/performance-latency.svg. */
  latency?: LatencyPoint[];
}

export interface LatencyPoint {
  path: string;
  p50: number;
  p99: number;
}

export interface ResultRow {
  name: string;
  value: number;
  baseline: number;
  ratio: number;
  goal: string;
  met: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Runs `ours` and `baseline` in alternating rounds (ours, baseline, ours, …) so that a slow moment of
 * a shared machine lands on both, and returns each side's samples.
 */
export async function alternate<T>(rounds: number, ours: () => Promise<T>, baseline: () => Promise<T>): Promise<{ ours: T[]; baseline: T[] }> {
  const result = { ours: [] as T[], baseline: [] as T[] };
  for (let r = 0; r < rounds; r++) {
    // which side goes first also alternates, so neither always runs on a warmer machine
    if (r % 2 === 0) {
      result.ours.push(await ours());
      result.baseline.push(await baseline());
    } else {
      result.baseline.push(await baseline());
      result.ours.push(await ours());
    }
  }
  return result;
}

/** Like `alternate`, for more than two sides: each round runs them all, starting one later each time. */
export async function rotate<T>(rounds: number, sides: Array<() => Promise<T>>): Promise<T[][]> {
  const result = sides.map(() => [] as T[]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sides.length; i++) {
      const side = (r + i) % sides.length;
      result[side]!.push(await sides[side]!());
    }
  }
  return result;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function renderTable(figures: Figure[]): string {
  const head = ['figure', 'ours', 'baseline', 'ratio', 'target', 'met?'];
  const rows = figures.map((f) => [f.name, f.ours, f.baseline, `${fmt(f.ratio, 2)}×`, f.target, f.met === 'n/a' ? '—' : f.met ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
