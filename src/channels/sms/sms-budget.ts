import type { LoadedContent } from '../../content/content.types';
import { createTranslator } from '../../content/i18n';
import type { FlowNode, Output } from '../../engine/engine.types';
import { renderSmsMessages, type SmsRendering } from './sms.renderer';
import { smsCost } from '../../common/sms-segments';

/** One SMS the content can produce, in one language, as it would be sent. */
export interface SmsBudgetRow extends SmsRendering {
  language: string;
  /** `flow/node` (or `flow/node#invalid`, `engine:<key>`). */
  where: string;
  /** characters that forced UCS-2 (empty for GSM-7). */
  nonGsm: string[];
  /** the text has {{params}} filled at run time: the count is for the text without them. */
  hasParams: boolean;
}

export interface SmsBudgetReport {
  rows: SmsBudgetRow[];
  /** one line per SMS over the budget, in the format of the other content problems. */
  problems: string[];
}

export interface SmsBudgetOptions {
  maxSegments: number;
  /** languages whose SMS spelling map is on. */
  spelling: readonly string[];
}

/** Texts the engine sends on its own, outside any node. */
const ENGINE_TEXTS = ['common:reprompt', 'common:expired', 'common:stale_button'];

/**
 * Renders every text a flow can send (each message, menu with its numbered choices, question and its
 * re-prompt, and the engine's own texts) in every declared language, exactly as the SMS channel would
 * send it, and measures it. Used by `npm run flows:check`.
 */
export function smsBudgetReport(content: Pick<LoadedContent, 'flowSet' | 'resources' | 'languages' | 'base'>, options: SmsBudgetOptions): SmsBudgetReport {
  const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
  const outputs = collectOutputs(content.flowSet.flows);
  const rows: SmsBudgetRow[] = [];
  for (const { code: language } of content.languages) {
    const t = translator.t(language);
    for (const { where, output } of outputs) {
      const [rendering] = renderSmsMessages([output], t, { language, spelling: options.spelling, sourceOf: translator.sourceOf });
      const text = rendering!.text;
      const hasParams = /\{\{\w+\}\}/.test(text);
      rows.push({ language, where, ...rendering!, nonGsm: smsCost(text).nonGsm, hasParams });
    }
  }
  const problems = rows
    .filter((r) => r.segments > options.maxSegments)
    .map((r) => `SMS over budget: ${r.language} ${r.where}: ${r.segments} segments ${r.encoding} (max ${options.maxSegments})${r.nonGsm.length ? `, not GSM-7: ${r.nonGsm.join(' ')}` : ''}`);
  return { rows, problems };
}

/** One line per rendering, grouped by language, then a per-language summary. */
export function formatSmsBudgetReport(report: SmsBudgetReport, maxSegments: number): string {
  const lines: string[] = [`SMS renderings (budget ${maxSegments} segments; encoding, segments, where):`];
  const languages = [...new Set(report.rows.map((r) => r.language))];
  for (const language of languages) {
    const rows = report.rows.filter((r) => r.language === language);
    const ucs2 = rows.filter((r) => r.encoding === 'UCS-2').length;
    const max = Math.max(...rows.map((r) => r.segments));
    lines.push(`  ${language}: ${rows.length} SMS, ${rows.length - ucs2} GSM-7, ${ucs2} UCS-2, at most ${max} segment${max === 1 ? '' : 's'}`);
    for (const r of rows) {
      const over = r.segments > maxSegments ? '  OVER BUDGET' : '';
      const chars = r.nonGsm.length ? `  (not GSM-7: ${r.nonGsm.join(' ')})` : '';
      lines.push(`    ${r.encoding.padEnd(5)} ${String(r.segments).padStart(2)}  ${r.where}${r.hasParams ? ' +params' : ''}${chars}${over}`);
    }
  }
  return lines.join('\n');
}

function collectOutputs(flows: LoadedContent['flowSet']['flows']): { where: string; output: Output }[] {
  const found: { where: string; output: Output }[] = [];
  for (const flow of Object.values(flows)) {
    for (const node of Object.values(flow.nodes) as FlowNode[]) {
      const where = `${flow.id}/${node.id}`;
      if (node.type === 'menu') found.push({ where, output: { text: node.text, choices: node.choices.map((c) => ({ id: c.id, label: c.label })), question: 1 } });
      else if (node.type === 'message' || node.type === 'ask') found.push({ where, output: { text: node.text } });
      if (node.type === 'ask') found.push({ where: `${where}#invalid`, output: { text: node.invalid } });
    }
  }
  for (const key of ENGINE_TEXTS) found.push({ where: `engine:${key}`, output: { text: key } });
  return found;
}

/** What `flows:check` calls: the printed report and the problems (SMS over the budget). */
export function smsBudgetCheck(
  content: Pick<LoadedContent, 'flowSet' | 'resources' | 'languages' | 'base'>,
  sms: { maxSegments: number; spelling: readonly string[] },
): { report: string; problems: string[] } {
  const report = smsBudgetReport(content, sms);
  return { report: formatSmsBudgetReport(report, sms.maxSegments), problems: report.problems };
}
