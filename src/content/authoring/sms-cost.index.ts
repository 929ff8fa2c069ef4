/**
 * What each text costs by SMS in one language: the most expensive SMS it is part of (a menu prompt
 * is sent with its numbered choices, so the budget is about the whole SMS, not the key alone), as
 * the SMS channel renders it. Built on the SMS channel's own budget report, so the numbers a
 * translator sees in the spreadsheet are the ones `flows:check` enforces.
 */
import { smsBudgetReport, type SmsBudgetRow } from '../../channels/sms/sms-budget';
import { applySmsSpelling } from '../../common/sms-spelling';
import { smsCost, type SmsEncoding } from '../../common/sms-segments';
import type { FlowSet } from '../../engine/engine.types';
import type { LoadedContent } from '../content.types';

export interface SmsCostOfKey {
  encoding: SmsEncoding;
  segments: number;
  /** where the most expensive SMS holding this text is sent (`flow/node`), or `text alone`. */
  where: string;
}

export interface SmsCostOptions {
  maxSegments: number;
  spelling: readonly string[];
}

type CostContent = Pick<LoadedContent, 'flowSet' | 'resources' | 'languages' | 'base'>;

/** `key → worst SMS` for one language; keys never sent as part of an SMS get the cost of their own text. */
export function smsCostByKey(content: CostContent, language: string, keys: Iterable<string>, text: (key: string) => string, options: SmsCostOptions): Map<string, SmsCostOfKey> {
  const rows = smsBudgetReport({ ...content, languages: content.languages.filter((l) => l.code === language) }, options).rows;
  const keysOf = keysByWhere(content.flowSet);
  const worst = new Map<string, SmsCostOfKey>();
  for (const row of rows) {
    for (const key of keysOf(row.where)) {
      const known = worst.get(key);
      if (!known || rank(row) > rank(known)) worst.set(key, { encoding: row.encoding, segments: row.segments, where: row.where });
    }
  }
  for (const key of keys) {
    if (worst.has(key)) continue;
    const own = smsCost(applySmsSpelling(text(key), language, options.spelling));
    worst.set(key, { encoding: own.encoding, segments: own.segments, where: 'text alone' });
  }
  return worst;
}

/** The SMS renderings of one language that go over the budget, with the keys each is made of. */
export function smsOverBudget(content: CostContent, language: string, options: SmsCostOptions): { row: SmsBudgetRow; keys: string[] }[] {
  const rows = smsBudgetReport({ ...content, languages: content.languages.filter((l) => l.code === language) }, options).rows;
  const keysOf = keysByWhere(content.flowSet);
  return rows.filter((r) => r.segments > options.maxSegments).map((row) => ({ row, keys: keysOf(row.where) }));
}

function rank(cost: { segments: number; encoding: SmsEncoding }): number {
  return cost.segments * 2 + (cost.encoding === 'UCS-2' ? 1 : 0);
}

/** The texts an SMS of the budget report is made of, from its `where` (`flow/node`, `flow/node#invalid`, `engine:<key>`). */
function keysByWhere(flowSet: FlowSet): (where: string) => string[] {
  return (where) => {
    if (where.startsWith('engine:')) return [where.slice('engine:'.length)];
    const [ref, part] = where.split('#');
    const [flow, nodeId] = ref.split('/');
    const node = flowSet.flows[flow]?.nodes[nodeId];
    if (!node) return [];
    if (part === 'invalid') return node.type === 'ask' ? [node.invalid] : [];
    if (node.type === 'menu') return [node.text, ...node.choices.map((c) => c.label)];
    return node.type === 'message' || node.type === 'ask' ? [node.text] : [];
  };
}
