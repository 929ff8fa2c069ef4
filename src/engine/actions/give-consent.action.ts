import type { ActionDefinition } from './action.types';

/**
 * She accepted the privacy notice of `version`. The shell records the version and the time, and only
 * then stores her address (encrypted); a new notice text gets a new version, so what she agreed to
 * stays known.
 */
export const giveConsentAction: ActionDefinition<'give_consent'> = {
  type: 'give_consent',
  leaves: false,
  run(spec) {
    return { events: [{ type: 'consent_given', version: spec.version }] };
  },
  check(spec) {
    return typeof spec.version === 'string' && /^[a-z0-9._-]+$/i.test(spec.version) ? [] : ['give_consent needs "version" (letters, digits, . _ -)'];
  },
};
