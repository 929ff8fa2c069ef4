import { addDays, daysOf, dayPeriod, isoWeekOf, monthOf, type Period } from './periods';

/**
 * Small-cell suppression for everything insights publish (page, API, CSV), as a pure function of the
 * settled counts, so every export of the same data hides the same cells.
 *
 * The published cube, per series (a metric with its topic and detail): for every fixed period (day, ISO
 * week, month) the full cells (flow, node, language, channel), the margins by each dimension and the
 * total. Each margin is the sum of full cells, and a week or month cell the sum of its days' cells:
 * those are the equations an attacker has. A cell below `minCell` is hidden (primary), and more cells
 * are hidden (complementary) until
 *   - no hidden cell is determined by the published cells and all the equations together (exact
 *     disclosure, checked by Gaussian elimination over the hidden cells, across dimensions and the
 *     day/week/month hierarchy at once), and
 *   - no single equation gives the sum of its hidden cells below `minCell` (a total and its siblings:
 *     "two of them, 3 people between them" is as telling as one small cell).
 *
 * Decisions are made period by period in the order periods end (a day, then the week and the month
 * that end with it), and a cell once published is never hidden later: complements are only taken among
 * the newest period's cells. So an export made last month and one made today never combine into more
 * than either: at worst a week or month is hidden because its days would otherwise be revealed.
 */

export type Dimension = 'flow' | 'node' | 'language' | 'channel';
export const DIMENSIONS: readonly Dimension[] = ['flow', 'node', 'language', 'channel'];

export interface BaseCount {
  day: string;
  /** the metric with its topic and detail: series never add up to each other. */
  series: string;
  flow: string;
  node: string;
  language: string;
  channel: string;
  count: number;
}

/** `by`: a margin; 'cell': the full cross-classification; 'total': the period's total. */
export type CellKind = Dimension | 'cell' | 'total';

export interface PublishedCell {
  period: Period;
  series: string;
  kind: CellKind;
  flow?: string;
  node?: string;
  language?: string;
  channel?: string;
  count: number;
  suppressed: boolean;
}

interface Cell extends PublishedCell {
  id: string;
}

/** parent = Σ children, as cell ids. */
interface Equation {
  parent: string;
  children: string[];
  /** the period of the parent (`kind:id`). */
  period: string;
}

const EPS = 1e-9;

const bySize = (a: Cell, b: Cell) => a.count - b.count || (a.id < b.id ? -1 : 1);

/** Every cell of every complete period up to `settledThrough`, with its suppression decided. */
export function suppress(rows: readonly BaseCount[], minCell: number, settledThrough: string): PublishedCell[] {
  const bySeries = new Map<string, BaseCount[]>();
  for (const r of rows) if (r.count > 0 && r.day <= settledThrough) bySeries.set(r.series, [...(bySeries.get(r.series) ?? []), r]);
  const out: PublishedCell[] = [];
  for (const [series, list] of [...bySeries].sort(([a], [b]) => (a < b ? -1 : 1))) out.push(...suppressSeries(series, list, minCell, settledThrough));
  return out;
}

function suppressSeries(series: string, rows: BaseCount[], minCell: number, settledThrough: string): PublishedCell[] {
  const byDay = new Map<string, BaseCount[]>();
  for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
  const days = [...byDay.keys()].sort();
  const cells = new Map<string, Cell>();
  const equations: Equation[] = [];
  const byVar = new Map<string, number[]>();
  const addEquation = (e: Equation) => {
    const i = equations.push(e) - 1;
    for (const id of [e.parent, ...e.children]) byVar.set(id, [...(byVar.get(id) ?? []), i]);
  };
  const done = new Set<string>();
  for (const p of stepsOf(days[0]!, days[days.length - 1]!, settledThrough)) {
    if (done.has(`${p.kind}:${p.id}`)) continue;
    done.add(`${p.kind}:${p.id}`);
    const periodRows = daysOf(p).flatMap((d) => byDay.get(d) ?? []);
    if (!periodRows.length) continue;
    const fresh = periodCells(series, p, periodRows, cells, addEquation);
    for (const c of fresh) c.suppressed = c.count < minCell;
    const scope = { equations, byVar, within: related(p, done) };
    protect(fresh, cells, scope, minCell);
    reveal(fresh, cells, scope, minCell);
  }
  return [...cells.values()].map(({ id: _id, ...c }) => (c.suppressed ? { ...c, count: c.count } : c));
}

/**
 * The periods whose equations can combine with a new period's: itself, its days, and for a week the
 * months it overlaps (for a month, the weeks), already decided, with their days. Older periods share
 * no cell with these, so their equations cannot change what these reveal... except through a chain of
 * hidden cells, which is cut here to keep each step small (see docs: a documented limit).
 */
function related(p: Period, done: Set<string>): Set<string> {
  const out = new Set<string>([`${p.kind}:${p.id}`]);
  const addWithDays = (q: Period) => {
    if (!done.has(`${q.kind}:${q.id}`)) return;
    out.add(`${q.kind}:${q.id}`);
    for (const d of daysOf(q)) out.add(`day:${d}`);
  };
  for (const d of daysOf(p)) out.add(`day:${d}`);
  if (p.kind === 'week') for (const d of [p.first, p.last]) addWithDays(monthOf(d));
  if (p.kind === 'month') for (let d = p.first; d <= p.last; d = addDays(isoWeekOf(d).last, 1)) addWithDays(isoWeekOf(d));
  return out;
}

interface Scope {
  equations: Equation[];
  byVar: Map<string, number[]>;
  within: Set<string>;
}

/** Periods in the order they end: each day, then the ISO week and the month ending that day. */
function stepsOf(firstDay: string, lastDay: string, settledThrough: string): Period[] {
  const out: Period[] = [];
  for (const d of daysOf({ first: firstDay, last: settledThrough })) {
    if (d <= lastDay) out.push(dayPeriod(d));
    const w = isoWeekOf(d);
    const m = monthOf(d);
    // a week or month is published once its last day settled, and only if it holds data
    if (w.last === d && w.first <= lastDay) out.push(w);
    if (m.last === d && m.first <= lastDay) out.push(m);
  }
  return out;
}

function cellId(series: string, p: Period, kind: CellKind, values: Partial<Record<Dimension, string>>): string {
  return [p.kind, p.id, series, kind, ...DIMENSIONS.map((d) => values[d] ?? '')].join('\u0001');
}

/** The period's cells (full, margins, total) with their equations; sub-period equations for weeks and months. */
function periodCells(series: string, p: Period, rows: BaseCount[], cells: Map<string, Cell>, addEquation: (e: Equation) => void): Cell[] {
  const fresh = new Map<string, Cell>();
  const get = (kind: CellKind, values: Partial<Record<Dimension, string>>): Cell => {
    const id = cellId(series, p, kind, values);
    let c = fresh.get(id);
    if (!c) {
      c = { id, period: p, series, kind, ...values, count: 0, suppressed: false };
      fresh.set(id, c);
    }
    return c;
  };
  const full = new Map<string, Cell>();
  for (const r of rows) {
    const values = { flow: r.flow, node: r.node, language: r.language, channel: r.channel };
    const c = get('cell', values);
    c.count += r.count;
    full.set(c.id, c);
  }
  const total = get('total', {});
  const margins = new Map<string, string[]>();
  for (const c of full.values()) {
    total.count += c.count;
    for (const d of DIMENSIONS) {
      const m = get(d, d === 'node' ? { flow: c.flow, node: c.node } : { [d]: c[d] });
      m.count += c.count;
      margins.set(m.id, [...(margins.get(m.id) ?? []), c.id]);
    }
  }
  const period = `${p.kind}:${p.id}`;
  addEquation({ parent: total.id, children: [...full.keys()], period });
  for (const [m, children] of margins) addEquation({ parent: m, children, period });
  if (p.kind !== 'day') {
    // a week's or month's full cell is the sum of the same cell on its days
    for (const c of full.values()) {
      const values = { flow: c.flow, node: c.node, language: c.language, channel: c.channel };
      const children = daysOf(p).map((d) => cellId(series, dayPeriod(d), 'cell', values)).filter((id) => cells.has(id));
      addEquation({ parent: c.id, children, period });
    }
  }
  for (const c of fresh.values()) cells.set(c.id, c);
  return [...fresh.values()];
}

/** Hides more of the fresh cells until nothing hidden can be recovered (see the file's comment). */
function protect(fresh: Cell[], cells: Map<string, Cell>, scope: Scope, minCell: number): void {
  const { equations, byVar } = scope;
  for (;;) {
    const exposed = exposedCells(fresh, cells, scope, minCell);
    if (!exposed.size) return;
    const candidates = fresh.filter((c) => !c.suppressed);
    if (!candidates.length) return; // every fresh cell hidden: the new equations add nothing published
    // one complement per equation holding an exposed cell (the smallest fresh published one in it)
    const picks = new Set<Cell>();
    for (const id of exposed) {
      for (const i of byVar.get(id) ?? []) {
        const e = equations[i]!;
        const inEq = candidates.filter((c) => c.id === e.parent || e.children.includes(c.id)).sort(bySize)[0];
        if (inEq) {
          picks.add(inEq);
          break;
        }
      }
    }
    if (!picks.size) picks.add([...candidates].sort(bySize)[0]!);
    for (const c of picks) c.suppressed = true;
  }
}

/**
 * A complement the published cells already fix (a week's cell made of one published day) hides
 * nothing: it is shown again. Never a cell below minCell.
 */
function reveal(fresh: Cell[], cells: Map<string, Cell>, scope: Scope, minCell: number): void {
  for (;;) {
    const fixed = determinedCells(fresh, cells, scope).filter((id) => (cells.get(id)?.count ?? 0) >= minCell && fresh.includes(cells.get(id)!));
    if (!fixed.length) return;
    for (const id of fixed) cells.get(id)!.suppressed = false;
  }
}

/**
 * Hidden cells at risk: determined exactly by the system, or part of one equation whose hidden cells'
 * known sum is below minCell. Only the equations reachable from the fresh period's cells are read.
 */
function exposedCells(fresh: Cell[], cells: Map<string, Cell>, scope: Scope, minCell: number): Set<string> {
  const { rows, small } = system(fresh, cells, scope, minCell);
  return new Set([...small, ...determined(rows)]);
}

function determinedCells(fresh: Cell[], cells: Map<string, Cell>, scope: Scope): string[] {
  return determined(system(fresh, cells, scope, 0).rows);
}

/** The equations reachable from the fresh cells over hidden ones, as rows over the hidden cells. */
function system(fresh: Cell[], cells: Map<string, Cell>, { equations, byVar, within }: Scope, minCell: number) {
  const reach = new Set<number>();
  const seenVar = new Set<string>();
  const queue = fresh.map((c) => c.id);
  while (queue.length) {
    const id = queue.pop()!;
    if (seenVar.has(id)) continue;
    seenVar.add(id);
    for (const i of byVar.get(id) ?? []) {
      if (reach.has(i) || !within.has(equations[i]!.period)) continue;
      reach.add(i);
      for (const other of [equations[i]!.parent, ...equations[i]!.children]) if (cells.get(other)?.suppressed && !seenVar.has(other)) queue.push(other);
    }
  }
  const small = new Set<string>();
  const rows: Array<{ coef: Map<string, number>; rhs: number }> = [];
  for (const i of reach) {
    const e = equations[i]!;
    const coef = new Map<string, number>();
    let rhs = 0;
    const term = (id: string, sign: number) => {
      const c = cells.get(id)!;
      if (c.suppressed) coef.set(id, (coef.get(id) ?? 0) + sign);
      else rhs -= sign * c.count;
    };
    term(e.parent, 1);
    for (const child of e.children) term(child, -1);
    for (const [k, v] of coef) if (Math.abs(v) < EPS) coef.delete(k);
    if (!coef.size) continue;
    const signs = new Set([...coef.values()].map(Math.sign));
    // Σ (hidden, one sign) = known: that sum must not be small
    if (signs.size === 1 && Math.abs(rhs) < minCell) for (const k of coef.keys()) small.add(k);
    rows.push({ coef, rhs });
  }
  return { rows, small };
}

/** Variables fixed by the linear system (reduced row echelon form over the hidden cells). */
function determined(rows: Array<{ coef: Map<string, number>; rhs: number }>): string[] {
  const pivots: Array<{ pivot: string; coef: Map<string, number>; rhs: number }> = [];
  for (const row of rows) {
    const coef = new Map(row.coef);
    let rhs = row.rhs;
    for (const p of pivots) {
      const f = coef.get(p.pivot);
      if (!f) continue;
      for (const [k, v] of p.coef) {
        const nv = (coef.get(k) ?? 0) - f * v;
        if (Math.abs(nv) < EPS) coef.delete(k);
        else coef.set(k, nv);
      }
      rhs -= f * p.rhs;
    }
    if (!coef.size) continue;
    const [pivot, pv] = [...coef].sort(([a], [b]) => (a < b ? -1 : 1))[0]!;
    for (const [k, v] of coef) coef.set(k, v / pv);
    rhs /= pv;
    // keep the form reduced: the new pivot leaves every earlier row
    for (const p of pivots) {
      const f = p.coef.get(pivot);
      if (!f) continue;
      for (const [k, v] of coef) {
        const nv = (p.coef.get(k) ?? 0) - f * v;
        if (Math.abs(nv) < EPS) p.coef.delete(k);
        else p.coef.set(k, nv);
      }
      p.rhs -= f * rhs;
    }
    pivots.push({ pivot, coef, rhs });
  }
  return pivots.filter((p) => p.coef.size === 1).map((p) => p.pivot);
}
