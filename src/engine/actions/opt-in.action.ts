import type { ActionDefinition } from './action.types';

/** She asked to receive messages again after an opt-out. */
export const optInAction: ActionDefinition<'opt_in'> = {
  type: 'opt_in',
  leaves: false,
  run() {
    return { events: [{ type: 'opted_in' }] };
  },
};
