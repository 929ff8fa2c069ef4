import type { ActionDefinition } from './action.types';

/** She chooses whether Sira may write to her first; the shell records it, the outbound queue obeys it. */
export const setProactiveAction: ActionDefinition<'set_proactive'> = {
  type: 'set_proactive',
  leaves: false,
  run(spec) {
    return { events: [{ type: 'proactive_changed', allow: spec.allow }] };
  },
  check(spec) {
    return typeof spec.allow === 'boolean' ? [] : ['set_proactive needs allow: true or false'];
  },
};
