/**
 * The contract of the pure flow engine. Everything here is plain data: the engine
 * never does I/O, never reads a clock (the caller passes `now`) and never draws
 * random numbers. Channels render `Output`s; the shell applies `EngineEvent`s.
 */

/** Bump when the Session shape changes: a stored session with another version restarts at the menu. */
export const SESSION_SCHEMA_VERSION = 1;

export const DEFAULT_EXPIRY_MS = 24 * 60 * 60 * 1000;
export const SENSITIVE_EXPIRY_MS = 30 * 60 * 1000;
/** The session var holding the version of the notice she agreed to, until her request takes it. */
export const CONSENT_VAR = '_consent';

/** Where a conversation points: a node inside a flow. */
export interface NodeRef {
  flow: string;
  node: string;
}

/**
 * A jump target as written in YAML: `node_id` (a node of the same flow), `@flow_id` (another
 * flow's start node) or `@flow_id/node_id` (a named node of another flow).
 */
export type Target = string;

export type ValidatorSpec =
  | { type: 'digits'; min_length?: number; max_length?: number }
  /**
   * `country`: ISO 3166 region used for numbers written without +prefix (default ML, Mali).
   * `countries`: when set, only numbers of these regions are accepted (a callback goes abroad only on purpose).
   */
  | { type: 'phone'; country?: string; countries?: string[] }
  | { type: 'one_of'; options: string[] };

export interface ChoiceSpec {
  /** snake_case id, stable across content edits (used in button data). */
  id: string;
  /** i18next key of the label; the label text in every language is also a keyword. */
  label: string;
  /** optional i18next key whose value is a comma-separated list of extra keywords. */
  keywords?: string;
  /** where this choice leads. */
  go: Target;
  /**
   * Shown only when the shell reports this fact for the step (StepContext.facts), e.g. a call window
   * that staff hours cover: a choice nobody can keep is never offered. Numbers count shown choices only.
   */
  when?: string;
}

interface NodeBase {
  id: string;
}

/** Sends a text, then continues to `next` at once (no input awaited). */
export interface MessageNode extends NodeBase {
  type: 'message';
  text: string;
  next: Target;
  /** names of facts (see StepContext.facts) passed to the text as i18next params of the same name. */
  params?: string[];
}

/** Sends a text with numbered choices and waits for one. */
export interface MenuNode extends NodeBase {
  type: 'menu';
  text: string;
  choices: ChoiceSpec[];
  /** when set, the chosen choice's id is stored in `vars[save_as]` (e.g. a callback's topic). */
  save_as?: string;
}

/** Sends a question and waits for free input checked by `validate`; stores it in `vars[save_as]`. */
export interface AskNode extends NodeBase {
  type: 'ask';
  text: string;
  validate: ValidatorSpec;
  save_as: string;
  /** i18next key of the re-prompt when the input is invalid. */
  invalid: string;
  next: Target;
}

/** Runs an action, then continues to `next` (when the action does not itself end or jump). */
export interface ActionNode extends NodeBase {
  type: 'action';
  action: ActionSpec;
  next?: Target;
}

export type FlowNode = MessageNode | MenuNode | AskNode | ActionNode;

/** Every node kind, for the content check and the engine's coverage test. */
export const NODE_TYPES = ['message', 'menu', 'ask', 'action'] as const satisfies ReadonlyArray<FlowNode['type']>;

export type ActionSpec =
  | { type: 'set_language'; language: string }
  | { type: 'go_to'; target: Target }
  /** `confirm`: i18n key said once the shell has stored the request (it may swap it, see Output.awaits). */
  /**
   * `values`: answers the flow fixes itself (the urgent path: topic safety, no voicemail…), over hers;
   * `language_field`: her conversation language is handed over under this name (the language to call in).
   */
  | { type: 'request_callback'; fields?: string[]; confirm?: string; values?: Record<string, string>; language_field?: string }
  /** hands the answers in `fields` to the callback module as changes of her open request (`confirm` awaits it). */
  | { type: 'change_callback'; fields: string[]; confirm?: string }
  /**
   * her consent to the privacy notice of `version`: kept in the session only, and handed over with the
   * request it covers (`callback_requested.consentVersion`); the shell stores nothing until then.
   */
  | { type: 'give_consent'; version: string }
  /** jumps to `go` when the shell reported the fact `fact` for this step (StepContext.facts), else `next`. */
  | { type: 'branch'; fact: string; go: Target }
  | { type: 'opt_out' }
  | { type: 'opt_in' }
  | { type: 'erase_me' }
  /** she takes back her consent: the shell drops what it covered (her stored number, her open callback). */
  | { type: 'withdraw_consent' }
  /** whether Sira may write to her first (confirmations after a call, reminders); replies are not affected. */
  | { type: 'set_proactive'; allow: boolean }
  /** she asks to be called back into the voice menus; `confirm` is said awaiting the shell's outcome. */
  | { type: 'request_return_call'; confirm: string }
  /** her replies on a chat channel come as voice messages too (`on`), or as text alone again; only she switches it. */
  | { type: 'set_listen_mode'; on: boolean }
  /**
   * news on `topic` when there is some (issue 26), with her explicit consent to the wording of `version`;
   * `confirm` awaits the shell (said only once her subscription is stored, or swapped for why not).
   */
  | { type: 'subscribe_news'; topic: string; version: string; confirm: string }
  /** no more news: on `topic`, or on every topic when absent; `confirm` awaits the shell. */
  | { type: 'stop_news'; topic?: string; confirm: string }
  /** her yes to the keep-it question: the subscriptions it asked about run again; `confirm` awaits the shell. */
  | { type: 'renew_news'; confirm: string }
  | { type: 'end' };

export type ActionType = ActionSpec['type'];

export interface Flow {
  id: string;
  /** file the flow was read from, for exact error messages. */
  file: string;
  start: string;
  /** idle time after which the conversation restarts (ms). */
  expiryMs: number;
  sensitive: boolean;
  nodes: Record<string, FlowNode>;
}

/**
 * Global command names; their words live in the locales (`commands.<name>`). `safety` words are
 * distress words, matched anywhere in her message (domain-facts §8, UNICEF: detect high-risk
 * keywords); `exit` is the quick-exit word, answered with a neutral, harmless text.
 */
export type GlobalCommand = 'home' | 'back' | 'help' | 'language' | 'stop' | 'start' | 'erase' | 'safety' | 'exit' | 'withdraw' | 'quiet' | 'change' | 'call' | 'listen' | 'read' | 'news' | 'stop_news';

/**
 * Everything the engine needs, already loaded and resolved to plain data by the content loader.
 * Keyword lists are the union over all languages, already normalised (see `normalizeText` in normalize.ts).
 * Read-only once given to `step`: the engine derives look-up tables from it once (lookup.ts); new
 * content is a new FlowSet.
 */
export interface FlowSet {
  flows: Record<string, Flow>;
  /** where a new conversation begins (language choice). */
  entry: NodeRef;
  /** the main menu: target of `home`, `0`, expiry and stale sessions. */
  home: NodeRef;
  /**
   * Where global commands lead (help, language, stop, start, erase). `home` and `back` are built
   * in: `home` goes to `home`, `back` to the previous question.
   */
  commands: Partial<Record<Exclude<GlobalCommand, 'home' | 'back'>, NodeRef>>;
  /** target offered after three misses in a row: a callback request. */
  callback?: NodeRef;
  /** where the third miss in a row leads: a content menu offering the main menu and a callback (default: home). */
  rescue?: NodeRef;
  /** where a voice note leads (Input `voice_note`): the offer of listen mode (default: the question again). */
  voiceNote?: NodeRef;
  languages: string[];
  globalWords: Record<GlobalCommand, string[]>;
  /** normalised keywords per i18n key (labels and keyword lists, all languages). */
  keywords: Record<string, string[]>;
  /** normalised words of Sira's own texts (all languages): never read as a typo of a distress word. */
  ordinaryWords?: string[];
}

export interface Session {
  v: number;
  /** node currently awaiting input (a menu or an ask), or where the conversation stands. */
  at: NodeRef;
  /** nodes that awaited input before this one, for `back` (most recent last, bounded). */
  history: NodeRef[];
  /** consecutive inputs that matched nothing. */
  misses: number;
  language?: string;
  /** increments at each question asked; ties a button to the question it answers. */
  question: number;
  lastActiveAt: number;
  vars: Record<string, string>;
  /** true once the conversation ended (an `end` action): the next input starts again. */
  ended?: boolean;
}

export type Input =
  | { kind: 'text'; text: string }
  /** a conversation explicitly (re)started, e.g. Telegram /start. */
  | { kind: 'start' }
  /** a button tap: `question` must match session.question, else it is stale. */
  | { kind: 'choice'; question: number; choice: string }
  /**
   * A key with a meaning of its own on the phone keypad (src/channels/voice): `home` (0), `back` (#),
   * `repeat` (*, or no key the first time: the question again, not a miss), `person` (9, or no key the
   * second time: the callback offer). Digits of choices and numbers arrive as `text`.
   */
  | { kind: 'keypad'; key: KeypadKey }
  /**
   * She sent a voice note on a chat channel that can send voice messages, and she is not listening yet
   * (the channel decides): Sira cannot listen to it, so it leads to the offer of listen mode
   * (FlowSet.voiceNote); never switches listen mode on by itself. Without that target: the question again.
   */
  | { kind: 'voice_note' };

export const KEYPAD_KEYS = ['home', 'back', 'repeat', 'person'] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

export interface OutputChoice {
  id: string;
  /** i18next key of the label. */
  label: string;
}

export interface Output {
  /** i18next key of the text. */
  text: string;
  params?: Record<string, string | number>;
  /** present when the output asks a question with choices. */
  choices?: OutputChoice[];
  /** the question number the choices answer (for button data). */
  question?: number;
  /**
   * What kind of free answer the question waits for (from the ask node's validator), so a channel
   * can offer a shortcut: Telegram shows a "share my number" button for `phone`. Typing still works.
   */
  expects?: 'phone';
  /**
   * Index (in this step's events) of the event whose outcome only the shell knows, e.g. the reference
   * code of a stored callback request. The shell settles the output (fills params or swaps the text)
   * after applying that event, and drops it when the event could not be applied. Channels never see it.
   */
  awaits?: number;
}

export type EngineEvent =
  | { type: 'language_changed'; language: string }
  /** `consentVersion`: the notice she agreed to in this conversation (absent: no consent, nothing stored). */
  | { type: 'callback_requested'; vars: Record<string, string>; consentVersion?: string }
  | { type: 'consent_given'; version: string }
  /** she changes her open request (call time, voicemail, SMS): only the answers given are in `vars`. */
  | { type: 'callback_changed'; vars: Record<string, string> }
  | { type: 'opted_out' }
  | { type: 'opted_in' }
  | { type: 'erase_requested' }
  | { type: 'consent_withdrawn' }
  | { type: 'proactive_changed'; allow: boolean }
  /** she asked Sira to call her (a return call into the voice menus, free for her). */
  | { type: 'return_call_requested' }
  /** she chose to listen (recorded prompts as voice messages on a chat channel) or to read again. */
  | { type: 'listen_mode_changed'; on: boolean }
  /** she asked for news on `topic`, agreeing to the consent wording `consentVersion` (issue 26). */
  | { type: 'news_subscribed'; topic: string; consentVersion: string }
  /** she wants no more news on `topic` (absent: on any topic). */
  | { type: 'news_stopped'; topic?: string }
  /** she answered yes to the keep-it question. */
  | { type: 'news_renewed' }
  | { type: 'conversation_expired' }
  /** her words matched the distress lexicon (not a menu choice): the shell answers even after a keyword STOP. */
  | { type: 'distress_heard' }
  | { type: 'conversation_restarted'; reason: 'new' | 'stale_version' | 'expired' | 'start' | 'ended' };

export interface StepContext {
  /** epoch milliseconds, from the caller's clock. */
  now: number;
  /**
   * What the shell knows and the engine cannot (e.g. `open_callback`: the reference of her open
   * request; `own_number`: her address is a phone number). Plain data, read by `branch` actions and
   * message `params`; absent facts are simply false.
   */
  facts?: Record<string, string>;
}

export interface StepResult {
  session: Session;
  outputs: Output[];
  events: EngineEvent[];
}
