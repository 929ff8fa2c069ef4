import type { ActionDefinition } from './action.types';

/**
 * Hands the answers named in `fields` that she gave (a new call time, voicemail or SMS) to the callback
 * module as changes of her open request, then forgets them. Like `request_callback`, `confirm` is said
 * awaiting the event: only the shell knows whether the change was stored.
 */
export const changeCallbackAction: ActionDefinition<'change_callback'> = {
  type: 'change_callback',
  leaves: false,
  run(spec, { session }) {
    const vars: Record<string, string> = {};
    for (const name of spec.fields) {
      if (session.vars[name] !== undefined) vars[name] = session.vars[name];
      delete session.vars[name];
    }
    const outputs = spec.confirm ? [{ text: spec.confirm, awaits: 0 }] : undefined;
    return { events: [{ type: 'callback_changed', vars }], ...(outputs ? { outputs } : {}) };
  },
  keys(spec) {
    return spec.confirm ? [spec.confirm] : [];
  },
  check(spec) {
    const problems: string[] = [];
    if (!Array.isArray(spec.fields) || spec.fields.length === 0 || !spec.fields.every((f) => typeof f === 'string')) {
      problems.push('change_callback: "fields" must be a non-empty list of names');
    }
    if (spec.confirm !== undefined && (typeof spec.confirm !== 'string' || !spec.confirm.includes(':'))) {
      problems.push('change_callback: "confirm" must be an i18n key "namespace:key"');
    }
    return problems;
  },
};
