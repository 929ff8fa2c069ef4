import type { ActionDefinition } from './action.types';

/**
 * She asked to be forgotten. The shell erases the contact, sessions, jobs and requests; the
 * engine forgets at once what this session holds so nothing of hers is carried further.
 */
export const eraseMeAction: ActionDefinition<'erase_me'> = {
  type: 'erase_me',
  leaves: false,
  run(_spec, { session }) {
    session.vars = {};
    session.history = [];
    return { events: [{ type: 'erase_requested' }] };
  },
};
