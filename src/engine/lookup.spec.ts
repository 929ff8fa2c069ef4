import fc from 'fast-check';
import { matchChoice } from './answer';
import type { ChoiceSpec, FlowSet, GlobalCommand, MenuNode } from './engine.types';
import { testFlowSet } from './engine.test-flows';
import { distressWords } from './distress';
import { matchCommand } from './lookup';

/**
 * The engine reads command words and choice keywords from tables it builds once per FlowSet. These
 * specs hold the tables to what the word lists themselves say, read the plain way (a scan of every
 * list in command order), on texts made of the lists' own words.
 */
const ORDER: GlobalCommand[] = ['exit', 'home', 'back', 'safety', 'help', 'language', 'stop', 'start', 'erase', 'withdraw', 'quiet'];

function commandByScan(flowSet: FlowSet, text: string): GlobalCommand | null {
  if (text === '0') return 'home';
  for (const name of ORDER) {
    const words = flowSet.globalWords[name] ?? [];
    const said = name === 'safety' ? words.some((w) => runOf(distressWords(text), distressWords(w))) : words.includes(text);
    if (said && (name === 'home' || name === 'back' || flowSet.commands[name as keyof FlowSet['commands']])) return name;
  }
  return null;
}

/** Distress entries match as a run of consecutive words, both sides folded alike (src/engine/distress.ts). */
function runOf(said: string[], entry: string[]): boolean {
  if (entry.length === 0) return false;
  for (let i = 0; i + entry.length <= said.length; i++) if (entry.every((w, j) => said[i + j] === w)) return true;
  return false;
}

function choiceByScan(flowSet: FlowSet, node: MenuNode, text: string): ChoiceSpec | undefined {
  if (!text) return undefined;
  if (/^\d+$/.test(text)) {
    const index = Number(text) - 1;
    if (index >= 0 && index < node.choices.length) return node.choices[index];
  }
  return node.choices.find((c) => flowSet.keywords[c.label]?.includes(text) || (!!c.keywords && flowSet.keywords[c.keywords]?.includes(text)));
}

/**
 * The test content with every command reachable, words shared between commands, and (what the content
 * check refuses, but the engine must still answer the same way) choices of one menu sharing a word.
 */
function crowdedFlowSet(): FlowSet {
  const base = testFlowSet();
  const about = { flow: 'help', node: 'about' };
  return {
    ...base,
    commands: { ...base.commands, safety: about, exit: about, withdraw: about },
    globalWords: {
      ...base.globalWords,
      exit: ['merci', 'danger'],
      home: ['menu', 'accueil', 'aide moi'],
      safety: ['danger', 'j ai peur', 'aide moi', 'au secours', 'peur'],
      help: ['aide', 'demisen', 'au secours'],
      stop: ['stop', 'arret', 'menu'],
      withdraw: ['retirer accord', 'retrait'],
      quiet: ['silence'],
    },
    keywords: { ...base.keywords, 'menu:callback': ['rappel', 'wele', 'reparations'], 'menu:bye': ['au revoir', '1', 'papiers'] },
  };
}

function wordsOf(flowSet: FlowSet): string[] {
  return [...new Set([...Object.values(flowSet.globalWords).flat(), ...Object.values(flowSet.keywords).flat()])];
}

const flowSets: Array<[string, () => FlowSet]> = [
  ['the test content (safety, exit and withdraw have no target)', testFlowSet],
  ['content where commands share words', crowdedFlowSet],
];

describe.each(flowSets)('word tables of %s', (_name, make) => {
  const flowSet = make();
  const pool = [...wordsOf(flowSet), '0', '1', '2', '6', '7', '10', '01', 'xyz', 'moi', 'j', 'ai'];
  const text = fc.array(fc.constantFrom(...pool), { minLength: 0, maxLength: 3 }).map((ws) => ws.join(' '));
  const menus = Object.values(flowSet.flows).flatMap((f) => Object.values(f.nodes)).filter((n): n is MenuNode => n.type === 'menu');

  it('name the same command as a scan of the word lists, in command order', () => {
    fc.assert(fc.property(text, (t) => matchCommand(flowSet, t) === commandByScan(flowSet, t)), { numRuns: 3000 });
  });

  // every `when` fact reported, so every choice is shown (hiding is node-kinds.spec's business)
  const showAll = Object.fromEntries(menus.flatMap((m) => m.choices).flatMap((c) => (c.when ? [[c.when, 'yes']] : [])));

  it('pick the same choice as a scan of every choice, in order', () => {
    fc.assert(fc.property(text, fc.constantFrom(...menus), (t, menu) => matchChoice(flowSet, menu, t, showAll) === choiceByScan(flowSet, menu, t)), { numRuns: 3000 });
  });
});

describe('command words', () => {
  const flowSet = crowdedFlowSet();
  it.each<[string, GlobalCommand | null, string]>([
    ['danger', 'exit', 'a quick-exit word wins even when it is also a distress word'],
    ['aide moi', 'home', 'a home word typed alone comes before the distress words'],
    ['au secours', 'safety', 'a distress phrase comes before help'],
    ['s il vous plait j ai peur', 'safety', 'a distress phrase anywhere in the message'],
    ['j ai tres peur', 'safety', 'a distress word anywhere in the message'],
    ['menu', 'home', 'a word of two commands means the first in command order'],
    ['aide', 'help', 'an ordinary command word typed alone'],
    ['aide svp', null, 'an ordinary command word with more words is not a command'],
    ['retrait', 'withdraw', 'a command with a target'],
  ])('%j → %j: %s', (text, expected, _why) => {
    expect(matchCommand(flowSet, text)).toBe(expected);
  });

  it('are not commands where the content gives the command no target', () => {
    expect(matchCommand(testFlowSet(), 'danger')).toBeNull();
    expect(matchCommand(testFlowSet(), 'merci')).toBeNull();
  });
});
