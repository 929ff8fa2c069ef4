/**
 * What a language needs recorded before it is offered by phone call: the greeting and language menu, the
 * main menu with its choices, help, the safety texts, the callback consent, and the "press N" clips. In
 * production `flows:check` fails when a VOICE_LANGUAGES language lacks one at CONTENT_MIN_STATUS.
 */
const SHARED_ESSENTIALS: readonly string[] = [
  'language:prompt',
  'menu:prompt',
  'menu:reparations',
  'menu:testimony',
  'menu:callback',
  'menu:safety',
  'menu:help',
  'menu:language',
  'help:about',
  'help:menu.prompt',
  'safety:danger',
  'safety:not_emergency',
  'safety:menu.prompt',
  'safety:quick_exit',
  'callback:consent.notice',
  'callback:consent.prompt',
  'callback:consent.yes',
  'callback:consent.no',
  ...Array.from({ length: 10 }, (_, n) => `voice:press.${n}`),
];

/** Which texts a language has, and the base it falls back to. */
export interface KnownTexts {
  base: string;
  has(language: string, key: string): boolean;
}

/**
 * The text a caller hears for `key`: its phone wording `voice:texts.<ns>.<path>` (a keypad where SMS
 * says "reply", a notice without the settings a recording cannot carry) where the language has one, or
 * has no text of the original either (then the base's); otherwise the text itself.
 */
export function heardKey(key: string, language: string, texts: KnownTexts): string {
  const [ns, path] = key.split(':');
  if (path === undefined) return key;
  const phone = `voice:texts.${ns}.${path}`;
  if (texts.has(language, phone)) return phone;
  return !texts.has(language, key) && texts.has(texts.base, phone) ? phone : key;
}

/**
 * The essentials of one language: the shared list plus its own name in the language menu; with `texts`,
 * each as it is heard on the phone in that language (what must be recorded).
 */
export function essentialKeys(language: string, texts?: KnownTexts): string[] {
  const keys = [...SHARED_ESSENTIALS, `language:name.${language}`];
  return texts ? keys.map((key) => heardKey(key, language, texts)) : keys;
}

/**
 * Texts that are never recorded whole: the words she types (commands, a choice's keyword list
 * `…_keywords`), staff-only notices, and texts with a variable part (`{{code}}`), which the voice
 * channel speaks around its recorded parts.
 */
export function isRecordable(key: string, baseText: string): boolean {
  if (/^common:commands\.|^callback:(words|staff)\.|_keywords$/.test(key)) return false;
  return !baseText.includes('{{');
}
