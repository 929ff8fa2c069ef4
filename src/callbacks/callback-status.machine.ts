import type { CallbackActor, CallbackStatus } from './callback.types';

type ActorKind = 'contact' | 'system' | 'staff';

/**
 * The status machine as data: from → to → who may make that move. Anything not listed is refused.
 * - she may only cancel an open request;
 * - timers (system) return an expired claim or a due retry to `pending`, and give up as `unreachable`;
 * - `erased` (her erasure) is reachable from every status, and nothing leaves it.
 */
export const CALLBACK_TRANSITIONS: Record<CallbackStatus, Partial<Record<CallbackStatus, readonly ActorKind[]>>> = {
  pending: { claimed: ['staff'], cancelled: ['contact', 'staff'], unreachable: ['staff'], erased: ['system'] },
  claimed: {
    completed: ['staff'],
    no_answer: ['staff'],
    pending: ['staff', 'system'],
    cancelled: ['contact', 'staff'],
    unreachable: ['staff'],
    erased: ['system'],
  },
  no_answer: { pending: ['system', 'staff'], cancelled: ['contact', 'staff'], unreachable: ['system', 'staff'], erased: ['system'] },
  completed: { erased: ['system'] },
  cancelled: { erased: ['system'] },
  unreachable: { erased: ['system'] },
  erased: {},
};

/** Statuses a request never leaves except by erasure. */
export const CLOSED_STATUSES: readonly CallbackStatus[] = ['completed', 'cancelled', 'unreachable', 'erased'];

export function actorKind(actor: CallbackActor): ActorKind {
  return actor.startsWith('staff:') ? 'staff' : (actor as ActorKind);
}

/** Whether `actor` may move a request from `from` to `to`. */
export function canTransition(from: CallbackStatus, to: CallbackStatus, actor: CallbackActor): boolean {
  return CALLBACK_TRANSITIONS[from]?.[to]?.includes(actorKind(actor)) ?? false;
}

export class CallbackTransitionError extends Error {
  constructor(from: CallbackStatus, to: CallbackStatus, actor: CallbackActor) {
    super(`callback request cannot go from ${from} to ${to} (by ${actorKind(actor)})`);
    this.name = 'CallbackTransitionError';
  }
}
