import type { ActionDefinition } from './action.types';

/** She chooses to hear her replies as voice messages (chat channels), or to read them again; the shell records it. */
export const setListenModeAction: ActionDefinition<'set_listen_mode'> = {
  type: 'set_listen_mode',
  leaves: false,
  run(spec) {
    return { events: [{ type: 'listen_mode_changed', on: spec.on }] };
  },
  check(spec) {
    return typeof spec.on === 'boolean' ? [] : ['set_listen_mode needs on: true or false'];
  },
};
