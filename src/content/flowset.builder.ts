import type { FlowSet, GlobalCommand, NodeRef } from '../engine/engine.types';
import { splitKeywords, normalizeText } from '../engine/normalize';
import { parseTarget } from '../engine/targets';
import { COMMAND_NAMES, RawContent, commandKey } from './content.types';
import { lookupKey } from './locales.loader';

const NOWHERE: NodeRef = { flow: '', node: '' };

/**
 * Resolves loaded content into the plain data the engine runs on: index targets become NodeRefs,
 * and every label and keyword list becomes a normalised word list, merged over all languages
 * (a woman may answer in any language whatever the one she chose).
 */
export function buildFlowSet(raw: RawContent): FlowSet {
  const ref = (target: string | undefined): NodeRef | undefined =>
    target ? (parseTarget('', target, (f) => raw.flows[f]?.start || undefined) ?? undefined) : undefined;
  const commands: FlowSet['commands'] = {};
  for (const [name, target] of Object.entries(raw.index?.commands ?? {})) {
    const r = ref(target);
    if (r && name !== 'home' && name !== 'back' && (COMMAND_NAMES as readonly string[]).includes(name)) {
      commands[name as keyof FlowSet['commands']] = r;
    }
  }
  const rescue = ref(raw.index?.rescue);
  const callback = ref(raw.index?.callback);
  const voiceNote = ref(raw.index?.voice_note);
  return {
    flows: raw.flows,
    entry: ref(raw.index?.entry) ?? NOWHERE,
    home: ref(raw.index?.home) ?? NOWHERE,
    commands,
    ...(rescue ? { rescue } : {}),
    ...(callback ? { callback } : {}),
    ...(voiceNote ? { voiceNote } : {}),
    languages: raw.languages.map((l) => l.code),
    globalWords: globalWords(raw),
    keywords: choiceKeywords(raw),
    ordinaryWords: ordinaryWords(raw),
  };
}

/** Every word of every text in every language (engine/distress.ts: a real word is never a typo). */
function ordinaryWords(raw: RawContent): string[] {
  const words = new Set<string>();
  const walk = (tree: unknown): void => {
    if (typeof tree === 'string') for (const w of normalizeText(tree).split(' ')) if (w) words.add(w);
    else if (tree && typeof tree === 'object') for (const v of Object.values(tree)) walk(v);
  };
  for (const byNs of Object.values(raw.resources)) for (const [ns, tree] of Object.entries(byNs)) if (ns !== 'common') walk(tree);
  for (const byNs of Object.values(raw.resources)) {
    const common = (byNs as Record<string, unknown>).common;
    if (common && typeof common === 'object') for (const [k, v] of Object.entries(common)) if (k !== 'commands') walk(v);
  }
  return [...words];
}

function textsOf(raw: RawContent, key: string): string[] {
  return raw.languages.map((l) => lookupKey(raw.resources, l.code, key)).filter((t): t is string => !!t);
}

function globalWords(raw: RawContent): Record<GlobalCommand, string[]> {
  const words = {} as Record<GlobalCommand, string[]>;
  for (const name of COMMAND_NAMES) {
    words[name] = [...new Set(textsOf(raw, commandKey(name)).flatMap(splitKeywords))];
  }
  return words;
}

function choiceKeywords(raw: RawContent): Record<string, string[]> {
  const keywords: Record<string, string[]> = {};
  for (const flow of Object.values(raw.flows)) {
    for (const node of Object.values(flow.nodes)) {
      if (node.type !== 'menu') continue;
      for (const c of node.choices) {
        keywords[c.label] ??= [...new Set(textsOf(raw, c.label).map(normalizeText).filter((w) => w))];
        if (c.keywords) keywords[c.keywords] ??= [...new Set(textsOf(raw, c.keywords).flatMap(splitKeywords))];
      }
    }
  }
  return keywords;
}
