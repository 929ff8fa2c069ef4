/** What `i18n:import` prints: each refusal with its row, or each change as a small diff. */
import type { ReviewEntry } from '../review-status';
import type { ImportPlan } from './translation-import';

export function refusalLines(plan: ImportPlan): string[] {
  return plan.refusals.map((r) => `row ${r.row}${r.key ? ` (${r.key})` : ''}: ${r.problem}`);
}

export function changeLines(plan: ImportPlan): string[] {
  const lines: string[] = [];
  const rows = [...new Set([...plan.texts.map((t) => t.row), ...plan.statuses.map((s) => s.row)])].sort((a, b) => a - b);
  for (const row of rows) {
    const text = plan.texts.find((t) => t.row === row);
    const status = plan.statuses.find((s) => s.row === row);
    lines.push(`row ${row} ${plan.language} ${text?.key ?? status?.key}`);
    if (text) lines.push(...quote('-', text.before ?? '(not translated)'), ...quote('+', text.after));
    if (status) lines.push(`  status ${describe(status.before)} → ${describe(status.after)}${status.reason ? ` (${status.reason})` : ''}`);
  }
  return lines;
}

export function summaryLine(plan: ImportPlan): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${n(plan.texts.length, 'text')} and ${n(plan.statuses.length, 'status')} changed`.replace('statuss', 'statuses');
}

function quote(mark: string, text: string): string[] {
  return text.split('\n').map((line) => `  ${mark} ${line}`);
}

function describe(entry: ReviewEntry | undefined): string {
  if (!entry || entry.status === 'draft') return 'draft';
  return `${entry.status} (${entry.by}, ${entry.on})`;
}
