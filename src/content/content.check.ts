import type { Flow, MenuNode } from '../engine/engine.types';
import { normalizeText, splitKeywords } from '../engine/normalize';
import { parseTarget } from '../engine/targets';
import { COMMAND_NAMES, ContentProblem, OPTIONAL_COMMANDS, ENGINE_KEYS, LanguageCoverage, RawContent, commandKey, makeProblem } from './content.types';
import { actionParamProblems } from './flow.parser';
import { checkFrenchSmsLength } from './french-sms-length.check';
import { chainDeadEnd, nodeKeys, nodeTargets, reachableNodes, refKey, targetExists } from './flow.graph';
import { lookupKey } from './locales.loader';

const INDEX_COMMANDS = COMMAND_NAMES.filter((c) => c !== 'home' && c !== 'back');
/** Without these a woman could not stop messages or be forgotten: refuse content that lacks them. */
const REQUIRED_COMMANDS = ['stop', 'erase'];

/**
 * The cross-file rules (per-file syntax and shape are checked while loading). Each problem has an
 * exact message naming the file, the node and what is wrong, e.g.
 * `flows/menu.yaml: node "main": unknown target "@nowhere"`.
 */
export function checkContent(raw: RawContent): ContentProblem[] {
  const dropped = new Set(raw.dropped);
  const codes = raw.languages.map((l) => l.code);
  const problems: ContentProblem[] = [...checkIndex(raw, dropped)];
  for (const flow of Object.values(raw.flows)) {
    const report = (node: string, problem: string) => problems.push(makeProblem(flow.file, node, problem));
    for (const node of Object.values(flow.nodes)) {
      for (const t of nodeTargets(node)) if (!targetExists(raw.flows, dropped, flow.id, t)) report(node.id, `unknown target "${t}"`);
      if (node.type === 'action') for (const p of actionParamProblems(node.action, codes)) report(node.id, p);
      for (const key of nodeKeys(node)) if (key && lookupKey(raw.resources, raw.base, key) === undefined) report(node.id, missingKey(key, raw.base));
      const deadEnd = wayOutProblem(raw.flows, dropped, flow, node.id);
      if (deadEnd) report(node.id, deadEnd);
      if (node.type === 'menu') for (const p of duplicateKeywords(raw, node)) report(node.id, p);
    }
  }
  problems.push(...unreachable(raw), ...missingGlobalKeys(raw), ...checkFrenchSmsLength(raw));
  return problems;
}

function missingKey(key: string, base: string): string {
  return `i18n key "${key}" missing in base language "${base}"`;
}

function checkIndex(raw: RawContent, dropped: Set<string>): ContentProblem[] {
  const index = raw.index;
  if (!index) return [];
  const out: ContentProblem[] = [];
  const report = (problem: string) => out.push(makeProblem(index.file, undefined, problem));
  const check = (name: string, target: string | undefined, required: boolean) => {
    if (target === undefined) return required && report(`missing "${name}"`);
    if (!target.startsWith('@') || !targetExists(raw.flows, dropped, '', target)) report(`"${name}": unknown target "${target}"`);
  };
  check('entry', index.entry, true);
  check('home', index.home, true);
  check('rescue', index.rescue, false);
  check('callback', index.callback, false);
  check('voice_note', index.voice_note, false);
  for (const name of Object.keys(index.commands)) {
    if (!(INDEX_COMMANDS as string[]).includes(name)) report(`unknown command "${name}"`);
  }
  for (const name of INDEX_COMMANDS) check(`commands.${name}`, index.commands[name], REQUIRED_COMMANDS.includes(name));
  return out;
}

function wayOutProblem(flows: Record<string, Flow>, dropped: Set<string>, flow: Flow, nodeId: string): string | null {
  const node = flow.nodes[nodeId];
  if (node.type === 'menu') return node.choices.length === 0 ? 'no way out (menu has no choices)' : null;
  if (node.type === 'ask') return node.next ? null : 'no way out (ask has no "next")';
  return chainDeadEnd(flows, dropped, { flow: flow.id, node: nodeId });
}

/** A word (number, label text or keyword, any language) that two choices of one menu both answer to. */
function duplicateKeywords(raw: RawContent, menu: MenuNode): string[] {
  const owner = new Map<string, string>();
  const out: string[] = [];
  const claim = (word: string, choice: string, where: string) => {
    const first = owner.get(word);
    if (first === undefined) owner.set(word, choice);
    else if (first !== choice) out.push(`duplicate keyword "${word}" (${where}) for choices "${first}" and "${choice}"`);
  };
  menu.choices.forEach((c, i) => claim(String(i + 1), c.id, 'number'));
  for (const { code } of raw.languages) {
    for (const c of menu.choices) {
      const label = lookupKey(raw.resources, code, c.label);
      if (label) claim(normalizeText(label), c.id, code);
      const keywords = c.keywords ? lookupKey(raw.resources, code, c.keywords) : undefined;
      for (const word of keywords ? splitKeywords(keywords) : []) claim(word, c.id, code);
    }
  }
  return [...new Set(out)];
}

function unreachable(raw: RawContent): ContentProblem[] {
  const idx = raw.index;
  const roots = [idx?.entry, idx?.home, idx?.rescue, idx?.callback, idx?.voice_note, ...Object.values(idx?.commands ?? {})]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => parseTarget('', t, (f) => raw.flows[f]?.start || undefined))
    .filter((r): r is NonNullable<typeof r> => !!r);
  const seen = reachableNodes(raw.flows, roots);
  return Object.values(raw.flows).flatMap((flow) =>
    Object.keys(flow.nodes)
      .filter((id) => !seen.has(refKey({ flow: flow.id, node: id })))
      .map((id) => makeProblem(flow.file, id, 'unreachable (no path from the flow\'s start or from another flow)')),
  );
}

/** Keys the engine itself needs: its own texts and the global command words. */
export function globalKeys(): string[] {
  return [...ENGINE_KEYS, ...COMMAND_NAMES.map(commandKey)];
}

function missingGlobalKeys(raw: RawContent): ContentProblem[] {
  const optional = new Set(OPTIONAL_COMMANDS.map(commandKey));
  return globalKeys()
    .filter((key) => !optional.has(key))
    .filter((key) => lookupKey(raw.resources, raw.base, key) === undefined)
    .map((key) => makeProblem(`${raw.localesName}/${raw.base}/${key.split(':')[0]}.json`, undefined, missingKey(key, raw.base)));
}

/** The chat channels whose renderers show a text's variant `<key>_<channel>` where her language has one. */
const CHANNEL_VARIANTS = ['telegram', 'whatsapp'];

/**
 * Every key the content uses: flow texts, labels and keyword lists, engine texts, command words, and the
 * channel variants of any of them the base language has (a language without its own variant shows its
 * plain text on that channel: the translator is told, as for any missing text).
 */
export function usedKeys(raw: RawContent): string[] {
  const fromFlows = Object.values(raw.flows).flatMap((f) => Object.values(f.nodes).flatMap(nodeKeys));
  // optional commands count only where the content has them (older content stays at 100 %)
  const global = globalKeys().filter((k) => !OPTIONAL_COMMANDS.map(commandKey).includes(k) || lookupKey(raw.resources, raw.base, k) !== undefined);
  const used = [...fromFlows.filter((k) => k), ...global];
  const variants = used.flatMap((k) => CHANNEL_VARIANTS.map((c) => `${k}_${c}`)).filter((k) => lookupKey(raw.resources, raw.base, k) !== undefined);
  return [...new Set([...used, ...variants])].sort();
}

/** Per declared language: how many used keys it translates itself (others fall back to the base). */
export function translationCoverage(raw: RawContent): LanguageCoverage[] {
  const keys = usedKeys(raw);
  return raw.languages.map(({ code, name }) => {
    const missing = keys.filter((k) => !lookupKey(raw.resources, code, k));
    const translated = keys.length - missing.length;
    return { code, name, translated, total: keys.length, ratio: keys.length ? translated / keys.length : 1, missing };
  });
}
