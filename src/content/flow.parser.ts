import { DEFAULT_EXPIRY_MS, NODE_TYPES, SENSITIVE_EXPIRY_MS } from '../engine/engine.types';
import type { ActionSpec, ChoiceSpec, Flow, FlowNode, ValidatorSpec } from '../engine/engine.types';
import { actionDefinition, isActionType } from '../engine/actions';
import { ContentProblem, makeProblem } from './content.types';
import { isRecord } from './yaml-file';

const VALIDATOR_TYPES = ['digits', 'phone', 'one_of'];
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

type Report = (node: string | undefined, problem: string) => void;

/**
 * Turns one parsed flow file into a `Flow`, reporting what is wrong with its shape. Nodes with an
 * unknown type are left out (after being reported) so later checks do not pile up noise on them.
 */
export function readFlow(
  raw: unknown,
  fileId: string,
  display: string,
  problems: ContentProblem[],
  dropped: string[] = [],
): Flow | null {
  const report: Report = (node, problem) => problems.push(makeProblem(display, node, problem));
  if (!isRecord(raw)) {
    report(undefined, 'must be a mapping with "id", "start" and "nodes"');
    return null;
  }
  if (raw.id !== fileId) report(undefined, `id "${String(raw.id)}" does not match file name "${fileId}"`);
  const sensitive = raw.sensitive === true;
  const expiryMs = readExpiry(raw.expiry, sensitive, report);
  const nodes: Record<string, FlowNode> = {};
  if (!isRecord(raw.nodes) || Object.keys(raw.nodes).length === 0) report(undefined, 'has no nodes');
  else {
    for (const [id, spec] of Object.entries(raw.nodes)) {
      const node = readNode(id, spec, (problem) => report(id, problem));
      if (node) nodes[id] = node;
      else dropped.push(`${fileId}/${id}`);
    }
  }
  const start = typeof raw.start === 'string' ? raw.start : '';
  if (!start) report(undefined, 'missing "start"');
  else if (isRecord(raw.nodes) && !(start in raw.nodes)) report(undefined, `start "${start}" is not a node`);
  return { id: fileId, file: display, start, expiryMs, sensitive, nodes };
}

function readExpiry(value: unknown, sensitive: boolean, report: Report): number {
  const fallback = sensitive ? SENSITIVE_EXPIRY_MS : DEFAULT_EXPIRY_MS;
  if (value === undefined) return fallback;
  const m = /^(\d+)\s*([mhd])$/.exec(String(value).trim());
  if (!m || Number(m[1]) <= 0) {
    report(undefined, `invalid expiry "${String(value)}" (use e.g. 30m, 2h, 24h)`);
    return fallback;
  }
  return Number(m[1]) * UNITS[m[2]];
}

function readNode(id: string, spec: unknown, report: (problem: string) => void): FlowNode | null {
  if (!isRecord(spec)) {
    report('must be a mapping');
    return null;
  }
  if (!(NODE_TYPES as readonly string[]).includes(spec.type as string)) {
    report(`unknown node type "${String(spec.type)}"`);
    return null;
  }
  const str = (field: string): string => {
    const value = spec[field];
    if (typeof value === 'string' && value) return value;
    if (field !== 'next') report(`missing "${field}"`);
    return '';
  };
  switch (spec.type) {
    case 'message': {
      const params = readNames(spec.params, 'params', report);
      return { id, type: 'message', text: str('text'), next: str('next'), ...(params ? { params } : {}) };
    }
    case 'menu': {
      const saveAs = spec.save_as === undefined ? undefined : str('save_as');
      return { id, type: 'menu', text: str('text'), choices: readChoices(spec.choices, report), ...(saveAs ? { save_as: saveAs } : {}) };
    }
    case 'ask':
      return {
        id, type: 'ask', text: str('text'), validate: readValidator(spec.validate, report),
        save_as: str('save_as'), invalid: str('invalid'), next: str('next'),
      };
    default:
      return readActionNode(id, spec, report);
  }
}

/** An optional list of snake_case names (message `params`). */
function readNames(value: unknown, field: string, report: (problem: string) => void): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && /^[a-z_]+$/.test(v))) {
    report(`"${field}" must be a list of snake_case names`);
    return undefined;
  }
  return value as string[];
}

/** `when: fact_name`: the choice is shown only when the shell reports that fact (engine.types ChoiceSpec). */
function readWhen(value: unknown, where: string, report: (problem: string) => void): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^[a-z][a-z0-9_]*$/.test(value)) return value;
  report(`${where}: "when" must be the snake_case name of a fact`);
  return undefined;
}

function readChoices(value: unknown, report: (problem: string) => void): ChoiceSpec[] {
  if (!Array.isArray(value)) return [];
  const choices: ChoiceSpec[] = [];
  value.forEach((c, i) => {
    const where = isRecord(c) && typeof c.id === 'string' ? `choice "${c.id}"` : `choice ${i + 1}`;
    if (!isRecord(c) || typeof c.id !== 'string' || typeof c.label !== 'string' || typeof c.go !== 'string') {
      report(`${where} needs "id", "label" and "go"`);
      return;
    }
    if (choices.some((other) => other.id === c.id)) report(`duplicate choice id "${c.id}"`);
    const keywords = typeof c.keywords === 'string' ? c.keywords : undefined;
    const when = readWhen(c.when, where, report);
    choices.push({ id: c.id, label: c.label, go: c.go, ...(keywords ? { keywords } : {}), ...(when ? { when } : {}) });
  });
  return choices;
}

function readValidator(value: unknown, report: (problem: string) => void): ValidatorSpec {
  if (!isRecord(value) || !VALIDATOR_TYPES.includes(value.type as string)) {
    report(`unknown validator "${isRecord(value) ? String(value.type) : String(value)}"`);
    return { type: 'one_of', options: [] };
  }
  if (value.type === 'one_of' && (!Array.isArray(value.options) || value.options.length === 0)) {
    report('one_of validator needs "options"');
  }
  return value as unknown as ValidatorSpec;
}

function readActionNode(id: string, spec: Record<string, unknown>, report: (problem: string) => void): FlowNode | null {
  const action = spec.action;
  if (!isRecord(action) || !isActionType(action.type)) {
    report(`unknown action type "${isRecord(action) ? String(action.type) : String(action)}"`);
    return null;
  }
  const next = typeof spec.next === 'string' && spec.next ? spec.next : undefined;
  return { id, type: 'action', action: action as unknown as ActionSpec, ...(next ? { next } : {}) };
}

/** Problems with an action's own parameters (needs the declared languages, so it runs in the check). */
export function actionParamProblems(spec: ActionSpec, languages: string[]): string[] {
  const def = actionDefinition(spec);
  return def?.check ? def.check(spec, { languages }) : [];
}
