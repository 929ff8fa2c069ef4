import type { ChoiceSpec, FlowNode, FlowSet, GlobalCommand, MenuNode, NodeRef, Target } from './engine.types';
import { buildDistressLexicon, saysDistress, type DistressLexicon } from './distress';
import { resolveTarget } from './targets';

/** Exit first (it must always win), then distress words before the ordinary commands. */
export const COMMAND_ORDER: readonly GlobalCommand[] = ['exit', 'home', 'back', 'safety', 'help', 'language', 'stop', 'start', 'erase', 'withdraw', 'quiet', 'change', 'call', 'listen', 'read', 'news', 'stop_news'];
const SAFETY_RANK = COMMAND_ORDER.indexOf('safety');

/**
 * What the engine looks up on every input, derived once from a FlowSet's plain lists: command words
 * and choice keywords as Maps, resolved jump targets. Built the first time the engine meets a FlowSet
 * and kept beside it in a WeakMap (dropped with it), so a FlowSet stays plain data and `step` stays
 * pure. These tables only answer faster what the lists say; a FlowSet is therefore read-only once the
 * engine has used it (new content is a new FlowSet).
 */
interface Lookup {
  /** flow id → node id → node (own entries only: a name from a stored session never reaches Object.prototype). */
  nodes: Map<string, Map<string, FlowNode>>;
  /** a command word typed alone → the first command (in COMMAND_ORDER) it names that has a target. */
  commandWords: Map<string, { name: GlobalCommand; rank: number }>;
  /** the distress lexicon (src/engine/distress.ts), empty when `safety` has no target. */
  distress: DistressLexicon;
  /** per menu: keyword → the first choice it names. */
  choices: WeakMap<MenuNode, Map<string, ChoiceSpec>>;
  /** per flow: target as written → where it leads (null when broken). */
  targets: Map<string, Map<Target, NodeRef | null>>;
}

const lookups = new WeakMap<FlowSet, Lookup>();

function lookupOf(flowSet: FlowSet): Lookup {
  let found = lookups.get(flowSet);
  if (!found) {
    found = buildLookup(flowSet);
    lookups.set(flowSet, found);
  }
  return found;
}

function buildLookup(flowSet: FlowSet): Lookup {
  const nodes = new Map<string, Map<string, FlowNode>>();
  for (const [id, flow] of Object.entries(flowSet.flows)) nodes.set(id, new Map(Object.entries(flow?.nodes ?? {})));
  const commandWords = new Map<string, { name: GlobalCommand; rank: number }>();
  COMMAND_ORDER.forEach((name, rank) => {
    if (name === 'safety' || (!commandTarget(flowSet, name) && name !== 'home' && name !== 'back')) return;
    for (const word of flowSet.globalWords[name] ?? []) if (!commandWords.has(word)) commandWords.set(word, { name, rank });
  });
  const entries = commandTarget(flowSet, 'safety') ? (flowSet.globalWords.safety ?? []) : [];
  const distress = buildDistressLexicon(entries, entries.length ? ordinaryWords(flowSet) : []);
  return { nodes, commandWords, distress, choices: new WeakMap(), targets: new Map() };
}

/** Words that are never read as a typo of a distress word: Sira's own texts and every command or choice word. */
function ordinaryWords(flowSet: FlowSet): string[] {
  const safety = new Set(flowSet.globalWords.safety ?? []);
  const words = [...(flowSet.ordinaryWords ?? [])];
  for (const [name, list] of Object.entries(flowSet.globalWords)) if (name !== 'safety') words.push(...list.flatMap((w) => w.split(' ')));
  for (const list of Object.values(flowSet.keywords)) words.push(...list.flatMap((w) => w.split(' ')));
  return words.filter((w) => !safety.has(w));
}

/** The node `ref` points at, if it exists. */
export function nodeAt(flowSet: FlowSet, ref: NodeRef | undefined): FlowNode | undefined {
  return ref ? lookupOf(flowSet).nodes.get(ref.flow)?.get(ref.node) : undefined;
}

/** Where a command leads (`home` and `back` are built in and have none here). */
export function commandTarget(flowSet: FlowSet, name: GlobalCommand): NodeRef | undefined {
  return name === 'home' || name === 'back' ? undefined : flowSet.commands[name];
}

/**
 * The global command her (normalised) text names: a command word typed alone, or a distress word
 * anywhere in the message as whole words; commands without a target in this flow set are not commands.
 */
export function matchCommand(flowSet: FlowSet, text: string): GlobalCommand | null {
  if (text === '0') return 'home';
  const lookup = lookupOf(flowSet);
  const alone = lookup.commandWords.get(text);
  if (alone && alone.rank < SAFETY_RANK) return alone.name;
  // a bare number is a choice, never distress (and the common case: keep it fast)
  if (!/^\d+$/.test(text) && saysDistress(lookup.distress, text)) return 'safety';
  return alone ? alone.name : null;
}

/** The first choice of `node` whose label (in any language) or keyword list contains the word `text`. */
export function choiceByKeyword(flowSet: FlowSet, node: MenuNode, text: string): ChoiceSpec | undefined {
  const lookup = lookupOf(flowSet);
  let byWord = lookup.choices.get(node);
  if (!byWord) {
    byWord = new Map();
    for (const c of node.choices) {
      for (const key of c.keywords ? [c.label, c.keywords] : [c.label]) {
        const words = Object.hasOwn(flowSet.keywords, key) ? flowSet.keywords[key] : [];
        for (const word of words ?? []) if (!byWord.has(word)) byWord.set(word, c);
      }
    }
    lookup.choices.set(node, byWord);
  }
  return byWord.get(text);
}

/** `resolveTarget` of a target written in flow `fromFlow`, remembered per FlowSet. */
export function targetOf(flowSet: FlowSet, fromFlow: string, target: Target | undefined): NodeRef | null {
  if (typeof target !== 'string') return resolveTarget(flowSet.flows, fromFlow, target);
  const lookup = lookupOf(flowSet);
  let inFlow = lookup.targets.get(fromFlow);
  if (!inFlow) {
    inFlow = new Map();
    lookup.targets.set(fromFlow, inFlow);
  }
  let ref = inFlow.get(target);
  if (ref === undefined) {
    ref = resolveTarget(flowSet.flows, fromFlow, target);
    inFlow.set(target, ref);
  }
  return ref;
}
