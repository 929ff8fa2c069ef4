import type { ActionDefinition } from './action.types';

/** Jumps to another node or flow (the node's `next` is ignored). */
export const goToAction: ActionDefinition<'go_to'> = {
  type: 'go_to',
  leaves: true,
  run(spec) {
    return { events: [], jump: spec.target };
  },
  targets(spec) {
    return [spec.target];
  },
  check(spec) {
    return typeof spec.target === 'string' && spec.target ? [] : ['go_to needs "target"'];
  },
};
