import type { ActionDefinition } from './action.types';

/**
 * Hands what she answered (or only `fields`) to the callback module as an event, then forgets it:
 * a shared phone must not find her number still sitting in the session. `confirm` is said at once,
 * but awaiting the event: only the shell knows whether the request was stored and under which
 * reference, so it fills the code in, or swaps the text when nothing was stored.
 */
export const requestCallbackAction: ActionDefinition<'request_callback'> = {
  type: 'request_callback',
  leaves: false,
  run(spec, { session }) {
    const names = spec.fields ?? Object.keys(session.vars);
    const vars: Record<string, string> = {};
    for (const name of names) {
      if (session.vars[name] !== undefined) vars[name] = session.vars[name];
      delete session.vars[name];
    }
    const outputs = spec.confirm ? [{ text: spec.confirm, awaits: 0 }] : undefined;
    return { events: [{ type: 'callback_requested', vars }], ...(outputs ? { outputs } : {}) };
  },
  keys(spec) {
    return spec.confirm ? [spec.confirm] : [];
  },
  check(spec) {
    const problems: string[] = [];
    const ok = spec.fields === undefined || (Array.isArray(spec.fields) && spec.fields.every((f) => typeof f === 'string'));
    if (!ok) problems.push('request_callback: "fields" must be a list of names');
    if (spec.confirm !== undefined && (typeof spec.confirm !== 'string' || !spec.confirm.includes(':'))) {
      problems.push('request_callback: "confirm" must be an i18n key "namespace:key"');
    }
    return problems;
  },
};
