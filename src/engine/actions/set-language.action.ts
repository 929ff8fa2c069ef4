import type { ActionDefinition } from './action.types';

/** Changes the contact's language; the shell stores it on the contact when it sees the event. */
export const setLanguageAction: ActionDefinition<'set_language'> = {
  type: 'set_language',
  leaves: false,
  run(spec, { session }) {
    session.language = spec.language;
    return { events: [{ type: 'language_changed', language: spec.language }] };
  },
  check(spec, { languages }) {
    if (typeof spec.language !== 'string' || !spec.language) return ['set_language needs "language"'];
    return languages.includes(spec.language) ? [] : [`set_language: undeclared language "${spec.language}"`];
  },
};
