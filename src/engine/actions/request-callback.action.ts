import type { ActionDefinition } from './action.types';

/**
 * Hands what she answered (or only `fields`) to the callback module as an event, then forgets it:
 * a shared phone must not find her number still sitting in the session.
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
    return { events: [{ type: 'callback_requested', vars }] };
  },
  check(spec) {
    const ok = spec.fields === undefined || (Array.isArray(spec.fields) && spec.fields.every((f) => typeof f === 'string'));
    return ok ? [] : ['request_callback: "fields" must be a list of names'];
  },
};
