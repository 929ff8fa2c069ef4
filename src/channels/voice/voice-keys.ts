/**
 * The phone keypad, read the same way for every provider: a digit of a menu is the number the SMS menu
 * shows for that choice; `0` main menu, `9` talk to a person, `*` repeat, `#` back. A typed number
 * (ended by `#`) is text, as on SMS. No key: the question again once, then the callback offer, then goodbye.
 */
import type { Input } from '../../engine/engine.types';
import type { VoiceListen } from './voice-prompt';

/** How many times in a row she may press nothing before the call ends with a goodbye. */
export const SILENCES_BEFORE_GOODBYE = 3;

export type KeyReading = { input: Input } | { hangUp: true };

export function readKeys(digits: string | undefined, listening: VoiceListen, silences: number): KeyReading {
  const pressed = (digits ?? '').replace(/[^0-9*#]/g, '');
  if (!pressed) {
    if (silences >= SILENCES_BEFORE_GOODBYE) return { hangUp: true };
    return { input: { kind: 'keypad', key: silences <= 1 ? 'repeat' : 'person' } };
  }
  if (listening === 'number') return { input: { kind: 'text', text: pressed.replace(/#$/, '') } };
  switch (pressed[0]) {
    case '0':
      return { input: { kind: 'keypad', key: 'home' } };
    case '9':
      return { input: { kind: 'keypad', key: 'person' } };
    case '*':
      return { input: { kind: 'keypad', key: 'repeat' } };
    case '#':
      return { input: { kind: 'keypad', key: 'back' } };
    default:
      return { input: { kind: 'text', text: pressed[0] } };
  }
}
