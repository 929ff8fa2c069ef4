import { canTransition, CALLBACK_TRANSITIONS } from './callback-status.machine';
import { CALLBACK_STATUSES, type CallbackActor, type CallbackStatus } from './callback.types';

type Case = [from: CallbackStatus, to: CallbackStatus, actor: CallbackActor, allowed: boolean, why: string];

/** The status machine as data: every move a request can make, and a few it must never make. */
const cases: Case[] = [
  ['pending', 'claimed', 'staff:a1', true, 'staff take a waiting request'],
  ['pending', 'claimed', 'system', false, 'no timer claims for staff'],
  ['pending', 'cancelled', 'contact', true, 'she cancels before the call'],
  ['pending', 'cancelled', 'staff:a1', true, 'staff cancel on her behalf'],
  ['pending', 'completed', 'staff:a1', false, 'nobody completes a call that was not taken'],
  ['pending', 'erased', 'system', true, 'her erasure reaches a waiting request'],
  ['claimed', 'completed', 'staff:a1', true, 'she was reached'],
  ['claimed', 'no_answer', 'staff:a1', true, 'no answer is recorded'],
  ['claimed', 'pending', 'system', true, 'an expired claim returns to the queue'],
  ['claimed', 'pending', 'staff:a1', true, 'staff release a claim'],
  ['claimed', 'cancelled', 'contact', true, 'she cancels while someone holds it'],
  ['claimed', 'unreachable', 'staff:a1', true, 'wrong number'],
  ['claimed', 'completed', 'contact', false, 'she cannot mark it done'],
  ['no_answer', 'pending', 'system', true, 'the retry comes at her next window'],
  ['no_answer', 'unreachable', 'system', true, 'too many tries'],
  ['no_answer', 'cancelled', 'contact', true, 'she cancels between tries'],
  ['no_answer', 'claimed', 'staff:a1', false, 'a retry is claimed only once it is pending again'],
  ['completed', 'pending', 'staff:a1', false, 'a finished request does not reopen'],
  ['completed', 'erased', 'system', true, 'erasure reaches closed requests too'],
  ['cancelled', 'pending', 'contact', false, 'a cancelled request does not reopen'],
  ['cancelled', 'cancelled', 'contact', false, 'cancelling twice is not a move'],
  ['unreachable', 'pending', 'system', false, 'unreachable stays closed'],
  ['erased', 'pending', 'system', false, 'nothing leaves erased'],
  ['erased', 'erased', 'system', false, 'erased is final'],
];

describe('callback status machine', () => {
  it.each(cases)('%s → %s by %s: %s (%s)', (from, to, actor, allowed) => {
    expect(canTransition(from, to, actor)).toBe(allowed);
  });

  it('lists every status, and every status can be erased except erased itself', () => {
    expect(Object.keys(CALLBACK_TRANSITIONS).sort()).toEqual([...CALLBACK_STATUSES].sort());
    for (const status of CALLBACK_STATUSES) expect(canTransition(status, 'erased', 'system')).toBe(status !== 'erased');
  });

  it('lets her (the contact) do nothing but cancel', () => {
    for (const from of CALLBACK_STATUSES) {
      for (const to of CALLBACK_STATUSES) if (to !== 'cancelled') expect(canTransition(from, to, 'contact')).toBe(false);
    }
  });
});
