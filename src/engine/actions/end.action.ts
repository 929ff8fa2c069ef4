import type { ActionDefinition } from './action.types';

/** Ends the conversation; her next message starts again at the menu. */
export const endAction: ActionDefinition<'end'> = {
  type: 'end',
  leaves: true,
  run() {
    return { events: [], end: true };
  },
};
