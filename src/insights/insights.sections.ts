import { FIRST_CALL_BUCKETS, InsightMetric } from './insight-metrics';
import type { InsightCell, InsightsAnswer } from './insights.query';

/** One chart of the insights page, with its table and CSV: the same published cells in three forms. */
export interface InsightSection {
  id: string;
  title: string;
  /** how a reader should take it (what is counted, what never is). */
  note: string;
  chart: 'bar' | 'stacked' | 'line';
  x: string;
  series?: string;
  rows: Array<{ x: string; series?: string; cell: InsightCell }>;
}

export const SECTION_IDS = ['funnels', 'languages', 'channels', 'callback_times', 'top_questions', 'drop_off'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export interface SectionData {
  byNode: InsightsAnswer;
  byFlow: InsightsAnswer;
  byLanguage: InsightsAnswer;
  byChannel: InsightsAnswer;
}

const periodOf = (c: InsightCell) => c.day ?? c.week ?? c.month ?? '';
const of = (a: InsightsAnswer, metric: InsightMetric) => a.cells.filter((c) => c.metric === metric);

/** The page's sections from four answers (by node, flow, language, channel) over the same periods. */
export function sections(d: SectionData): InsightSection[] {
  const funnel = [
    ...of(d.byFlow, InsightMetric.FlowEntered).map((cell) => ({ x: `${cell.flow} · entrée`, series: cell.flow, cell })),
    ...of(d.byNode, InsightMetric.NodeReached).map((cell) => ({ x: `${cell.flow} · ${cell.node}`, series: cell.flow, cell })),
    ...of(d.byFlow, InsightMetric.CallbackRequested).map((cell) => ({ x: `rappel · ${cell.topic}`, series: cell.topic, cell })),
  ];
  const top = of(d.byNode, InsightMetric.NodeReached)
    .filter((c) => !c.suppressed)
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0))
    .slice(0, 15);
  const dropped = of(d.byNode, InsightMetric.MenuAbandoned)
    .sort((a, b) => (b.count ?? 0) - (a.count ?? 0));
  const firstCalls = of(d.byFlow, InsightMetric.CallbackFirstCall)
    .map((cell) => ({ cell, urgency: (cell.detail ?? '').split('.')[0] ?? '', bucket: (cell.detail ?? '').split('.')[1] ?? '' }))
    .sort((a, b) => FIRST_CALL_BUCKETS.indexOf(a.bucket as never) - FIRST_CALL_BUCKETS.indexOf(b.bucket as never));
  return [
    { id: 'funnels', title: 'Parcours par flux', note: 'Entrées dans un flux, chaque réponse atteinte, demandes de rappel sur son sujet, par période.', chart: 'bar', x: 'étape', series: 'flux', rows: funnel.map((r) => ({ ...r, x: `${periodOf(r.cell)} ${r.x}` })) },
    { id: 'languages', title: 'Langues dans le temps', note: 'Entrées dans un flux (réparations, témoignage, …), par langue choisie.', chart: 'stacked', x: 'période', series: 'langue', rows: of(d.byLanguage, InsightMetric.FlowEntered).map((cell) => ({ x: periodOf(cell), series: cell.language || '—', cell })) },
    { id: 'channels', title: 'Canaux dans le temps', note: 'Conversations commencées, par canal.', chart: 'stacked', x: 'période', series: 'canal', rows: of(d.byChannel, InsightMetric.ConversationStarted).map((cell) => ({ x: periodOf(cell), series: cell.channel || '—', cell })) },
    { id: 'callback_times', title: 'Délai du premier appel, par urgence', note: 'Temps entre la demande et le premier appel, par tranches larges.', chart: 'bar', x: 'délai', series: 'urgence', rows: firstCalls.map((f) => ({ x: `${periodOf(f.cell)} ${f.bucket}`, series: f.urgency, cell: f.cell })) },
    { id: 'top_questions', title: 'Questions les plus consultées', note: 'Nombre de fois qu’une réponse a été envoyée — jamais ce qu’elle a écrit.', chart: 'bar', x: 'réponse', rows: top.map((cell) => ({ x: `${periodOf(cell)} ${cell.flow}/${cell.node}`, cell })) },
    { id: 'drop_off', title: 'Points d’abandon', note: 'Menus restés sans réponse 24 h, comptés le jour où ils ont été montrés.', chart: 'bar', x: 'menu', rows: dropped.map((cell) => ({ x: `${periodOf(cell)} ${cell.flow}/${cell.node}`, cell })) },
  ];
}

/** The section as CSV rows (header first): what the table shows, "< 10" where a cell is suppressed. */
export function sectionCsv(s: InsightSection, minCell: number): string[][] {
  return [
    ['period', 'metric', 'flow', 'node', 'language', 'channel', 'topic', 'detail', 'count'],
    ...s.rows.map(({ cell: c }) => [periodOf(c), c.metric, c.flow ?? '', c.node ?? '', c.language ?? '', c.channel ?? '', c.topic ?? '', c.detail ?? '', c.suppressed ? `< ${minCell}` : String(c.count)]),
  ];
}
