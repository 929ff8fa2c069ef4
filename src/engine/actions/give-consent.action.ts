import { CONSENT_VAR } from '../engine.types';
import type { ActionDefinition } from './action.types';

/**
 * She accepted the privacy notice of `version`. The version waits in the session (never in the
 * database) and leaves with the request it covers: her number is written only when that request is
 * confirmed, so an unfinished one leaves nothing behind. A new notice text gets a new version, so
 * what she agreed to stays known.
 */
export const giveConsentAction: ActionDefinition<'give_consent'> = {
  type: 'give_consent',
  leaves: false,
  run(spec, { session }) {
    session.vars = { ...session.vars, [CONSENT_VAR]: spec.version };
    return { events: [{ type: 'consent_given', version: spec.version }] };
  },
  check(spec) {
    return typeof spec.version === 'string' && /^[a-z0-9._-]+$/i.test(spec.version) ? [] : ['give_consent needs "version" (letters, digits, . _ -)'];
  },
};
