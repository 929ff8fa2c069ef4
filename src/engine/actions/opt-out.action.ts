import type { ActionDefinition } from './action.types';

/** She asked to receive nothing more; the shell records the opt-out on the contact. */
export const optOutAction: ActionDefinition<'opt_out'> = {
  type: 'opt_out',
  leaves: false,
  run() {
    return { events: [{ type: 'opted_out' }] };
  },
};
