/**
 * A small, valid FlowSet built in code for the engine's unit specs (no loader, no files), shaped
 * like the real content: language choice, main menu, an overview, a sensitive callback flow with
 * questions, privacy commands and a rescue menu. Keywords are already normalised, as the loader
 * would produce them.
 */
import {
  DEFAULT_EXPIRY_MS,
  Flow,
  FlowNode,
  FlowSet,
  SENSITIVE_EXPIRY_MS,
} from './engine.types';

function flow(id: string, start: string, nodes: Omit<FlowNode, 'id'>[] & { id?: string }[], sensitive = false): Flow {
  const byId: Record<string, FlowNode> = {};
  for (const n of nodes as FlowNode[]) byId[n.id] = n;
  return { id, file: `flows/${id}.yaml`, start, sensitive, expiryMs: sensitive ? SENSITIVE_EXPIRY_MS : DEFAULT_EXPIRY_MS, nodes: byId };
}

export function testFlowSet(): FlowSet {
  const flows: Record<string, Flow> = {
    language: flow('language', 'choose', [
      { id: 'choose', type: 'menu', text: 'language:prompt', choices: [
        { id: 'fr', label: 'language:fr', go: 'set_fr' },
        { id: 'bm', label: 'language:bm', go: 'set_bm' },
      ] },
      { id: 'set_fr', type: 'action', action: { type: 'set_language', language: 'fr' }, next: '@menu' },
      { id: 'set_bm', type: 'action', action: { type: 'set_language', language: 'bm' }, next: '@menu' },
    ]),
    menu: flow('menu', 'main', [
      { id: 'main', type: 'menu', text: 'menu:prompt', choices: [
        { id: 'reparations', label: 'menu:reparations', keywords: 'menu:reparations_keywords', go: '@reparations' },
        { id: 'callback', label: 'menu:callback', go: '@callback' },
        { id: 'quiz', label: 'menu:quiz', go: '@quiz/pick' },
        { id: 'bye', label: 'menu:bye', go: 'bye' },
        { id: 'broken', label: 'menu:broken', go: '@nowhere' },
        { id: 'survey', label: 'menu:survey', go: '@survey' },
      ] },
      { id: 'bye', type: 'message', text: 'menu:bye_text', next: 'bye_end' },
      { id: 'bye_end', type: 'action', action: { type: 'end' } },
    ]),
    reparations: flow('reparations', 'overview', [
      { id: 'overview', type: 'message', text: 'reparations:overview', next: 'rmenu' },
      { id: 'rmenu', type: 'menu', text: 'reparations:menu', choices: [
        { id: 'law', label: 'reparations:law', go: 'law' },
        { id: 'home', label: 'common:home', go: '@menu' },
      ] },
      { id: 'law', type: 'message', text: 'reparations:law_text', next: 'rmenu' },
    ]),
    callback: flow('callback', 'ask_number', [
      { id: 'ask_number', type: 'ask', text: 'callback:ask_number', validate: { type: 'phone' }, save_as: 'number', invalid: 'callback:number_invalid', next: 'ask_code' },
      { id: 'ask_code', type: 'ask', text: 'callback:ask_code', validate: { type: 'digits', min_length: 4, max_length: 6 }, save_as: 'code', invalid: 'callback:code_invalid', next: 'request' },
      { id: 'request', type: 'action', action: { type: 'request_callback' }, next: 'done' },
      { id: 'done', type: 'message', text: 'callback:done', next: '@menu' },
    ], true),
    survey: flow('survey', 'open_check', [
      { id: 'open_check', type: 'action', action: { type: 'branch', fact: 'open_callback', go: 'open' }, next: 'when' },
      { id: 'open', type: 'message', text: 'survey:open', params: ['open_callback'], next: '@menu' },
      { id: 'when', type: 'menu', text: 'survey:when', save_as: 'window', choices: [
        { id: 'morning', label: 'survey:morning', go: 'agree' },
        { id: 'afternoon', label: 'survey:afternoon', go: 'agree', when: 'offer_afternoon' },
        { id: 'evening', label: 'survey:evening', go: 'agree' },
      ] },
      { id: 'agree', type: 'action', action: { type: 'give_consent', version: 'v1' }, next: 'request' },
      { id: 'request', type: 'action', action: { type: 'request_callback', confirm: 'survey:registered' }, next: '@menu' },
    ], true),
    quiz: flow('quiz', 'pick', [
      { id: 'pick', type: 'ask', text: 'quiz:pick', validate: { type: 'one_of', options: ['Oui', 'Non'] }, save_as: 'answer', invalid: 'quiz:invalid', next: '@menu' },
    ]),
    privacy: flow('privacy', 'stopped', [
      { id: 'stopped', type: 'action', action: { type: 'opt_out' }, next: 'stopped_text' },
      { id: 'stopped_text', type: 'message', text: 'privacy:stopped', next: 'stopped_end' },
      { id: 'stopped_end', type: 'action', action: { type: 'end' } },
      { id: 'restarted', type: 'action', action: { type: 'opt_in' }, next: '@menu' },
      { id: 'erase_confirm', type: 'menu', text: 'privacy:erase_confirm', choices: [
        { id: 'yes', label: 'common:yes', go: 'erase' },
        { id: 'no', label: 'common:no', go: '@menu' },
      ] },
      { id: 'erase', type: 'action', action: { type: 'erase_me' }, next: 'erased' },
      { id: 'erased', type: 'message', text: 'privacy:erased', next: 'erased_end' },
      { id: 'erased_end', type: 'action', action: { type: 'end' } },
    ]),
    help: flow('help', 'about', [
      { id: 'about', type: 'message', text: 'help:about', next: '@menu' },
      { id: 'rescue', type: 'menu', text: 'help:rescue', choices: [
        { id: 'home', label: 'common:home', go: '@menu' },
        { id: 'callback', label: 'menu:callback', go: '@callback' },
      ] },
    ]),
  };
  return {
    flows,
    entry: { flow: 'language', node: 'choose' },
    home: { flow: 'menu', node: 'main' },
    rescue: { flow: 'help', node: 'rescue' },
    callback: { flow: 'callback', node: 'ask_number' },
    commands: {
      help: { flow: 'help', node: 'about' },
      language: { flow: 'language', node: 'choose' },
      stop: { flow: 'privacy', node: 'stopped' },
      start: { flow: 'privacy', node: 'restarted' },
      erase: { flow: 'privacy', node: 'erase_confirm' },
    },
    languages: ['fr', 'bm'],
    globalWords: {
      home: ['menu', 'accueil'],
      back: ['retour'],
      help: ['aide', 'demisen'],
      language: ['langue', 'kan'],
      stop: ['stop', 'arret'],
      start: ['start'],
      erase: ['effacer'],
      safety: ['danger', 'j ai peur'],
      exit: ['merci'],
      withdraw: [],
      quiet: [],
      change: [],
      call: [],
      listen: [],
      read: [],
      news: [],
      stop_news: [],
    },
    keywords: {
      'language:fr': ['francais'],
      'language:bm': ['bamanankan'],
      'menu:reparations': ['reparations', 'jogoya'],
      'menu:reparations_keywords': ['dedommagement', 'papiers'],
      'menu:callback': ['rappel', 'wele'],
      'menu:quiz': ['quiz'],
      'menu:bye': ['au revoir'],
      'menu:broken': ['casse'],
      'menu:survey': ['sondage'],
      'survey:morning': ['matin'],
      'survey:afternoon': ['apres-midi'],
      'survey:evening': ['soir'],
      'reparations:law': ['loi', 'sariya'],
      'common:home': ['menu principal'],
      'common:yes': ['oui', 'awo'],
      'common:no': ['non', 'ayi'],
    },
  };
}
