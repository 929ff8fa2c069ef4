import type { ActionDefinition } from './action.types';

/**
 * She asks Sira to call her back into the voice menus (the word APPEL / CALL, or the menu choice):
 * one event for the module that places calls. `confirm` awaits it: only the shell knows whether a
 * call was scheduled, so it says `confirm` or swaps it for why not (a call was just made, or not now).
 */
export const requestReturnCallAction: ActionDefinition<'request_return_call'> = {
  type: 'request_return_call',
  leaves: false,
  run(spec) {
    return { events: [{ type: 'return_call_requested' }], outputs: [{ text: spec.confirm, awaits: 0 }] };
  },
  keys(spec) {
    return typeof spec.confirm === 'string' ? [spec.confirm] : [];
  },
  check(spec) {
    return typeof spec.confirm === 'string' && spec.confirm.includes(':') ? [] : ['request_return_call: "confirm" must be an i18n key "namespace:key"'];
  },
};
