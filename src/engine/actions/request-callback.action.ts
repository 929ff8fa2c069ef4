import { CONSENT_VAR } from '../engine.types';
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
    const consentVersion = session.vars[CONSENT_VAR];
    delete session.vars[CONSENT_VAR];
    const names = spec.fields ?? Object.keys(session.vars);
    const vars: Record<string, string> = {};
    for (const name of names) {
      if (session.vars[name] !== undefined) vars[name] = session.vars[name];
      delete session.vars[name];
    }
    Object.assign(vars, spec.values ?? {});
    if (spec.language_field && session.language && vars[spec.language_field] === undefined) vars[spec.language_field] = session.language;
    const outputs = spec.confirm ? [{ text: spec.confirm, awaits: 0 }] : undefined;
    const event = consentVersion ? { type: 'callback_requested' as const, vars, consentVersion } : { type: 'callback_requested' as const, vars };
    return { events: [event], ...(outputs ? { outputs } : {}) };
  },
  keys(spec) {
    return spec.confirm ? [spec.confirm] : [];
  },
  check(spec) {
    const problems: string[] = [];
    const ok = spec.fields === undefined || (Array.isArray(spec.fields) && spec.fields.every((f) => typeof f === 'string'));
    if (!ok) problems.push('request_callback: "fields" must be a list of names');
    const values = spec.values;
    const plain = values === undefined || (typeof values === 'object' && values !== null && !Array.isArray(values) && Object.values(values).every((v) => typeof v === 'string'));
    if (!plain) problems.push('request_callback: "values" must map names to texts');
    if (spec.language_field !== undefined && typeof spec.language_field !== 'string') problems.push('request_callback: "language_field" must be a name');
    if (spec.confirm !== undefined && (typeof spec.confirm !== 'string' || !spec.confirm.includes(':'))) {
      problems.push('request_callback: "confirm" must be an i18n key "namespace:key"');
    }
    return problems;
  },
};
