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
  // the notice as heard on the phone: the written one carries settings ({{kept_days}}), never recorded whole
  'voice:texts.callback.consent.notice',
  'callback:consent.prompt',
  'callback:consent.yes',
  'callback:consent.no',
  ...Array.from({ length: 10 }, (_, n) => `voice:press.${n}`),
];

/** The essentials of one language: the shared list plus its own name in the language menu. */
export function essentialKeys(language: string): string[] {
  return [...SHARED_ESSENTIALS, `language:name.${language}`];
}

/**
 * Texts that are never recorded whole: the words she types (commands), staff-only notices, and texts
 * with a variable part (`{{code}}`), which the voice channel speaks around its recorded parts.
 */
export function isRecordable(key: string, baseText: string): boolean {
  if (/^common:commands\.|^callback:(words|staff)\./.test(key)) return false;
  return !baseText.includes('{{');
}
