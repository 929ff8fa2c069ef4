import type { ActionDefinition } from './action.types';

/**
 * She withdraws her consent. The shell deletes what it covered (her stored number, her open callback
 * request); everything else Sira offers stays available to her.
 */
export const withdrawConsentAction: ActionDefinition<'withdraw_consent'> = {
  type: 'withdraw_consent',
  leaves: false,
  run() {
    return { events: [{ type: 'consent_withdrawn' }] };
  },
};
