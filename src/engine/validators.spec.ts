import type { ValidatorSpec } from './engine.types';
import { validateAnswer } from './validators';

const cases: Array<[string, ValidatorSpec, string, string | null]> = [
  ['a Malian number written locally', { type: 'phone' }, '70 12 34 56', '+22370123456'],
  ['a Malian number with prefix', { type: 'phone' }, '+223 70-12-34-56', '+22370123456'],
  ['a French number with prefix', { type: 'phone' }, '+33 6 12 34 56 78', '+33612345678'],
  ['too few digits for a phone', { type: 'phone' }, '7012', null],
  ['words instead of a phone', { type: 'phone' }, 'appelle moi', null],
  ['an absurdly long input', { type: 'phone' }, '7'.repeat(500), null],
  ['a number of an allowed country', { type: 'phone', countries: ['ML', 'BF'] }, '+226 70 12 34 56', '+22670123456'],
  ['a local number when Mali is allowed', { type: 'phone', countries: ['ML'] }, '70 12 34 56', '+22370123456'],
  ['a number of a country not allowed', { type: 'phone', countries: ['ML', 'BF'] }, '+33 6 12 34 56 78', null],
  ['digits with spaces', { type: 'digits', min_length: 4 }, '12 34', '1234'],
  ['digits too short', { type: 'digits', min_length: 4 }, '123', null],
  ['digits too long', { type: 'digits', max_length: 3 }, '1234', null],
  ['letters are not digits', { type: 'digits' }, '12a4', null],
  ['an option in other case and accents', { type: 'one_of', options: ['Matin', 'Soir'] }, 'MATÍN', 'Matin'],
  ['not an option', { type: 'one_of', options: ['Matin', 'Soir'] }, 'nuit', null],
  ['an empty answer is never an option', { type: 'one_of', options: [''] }, '  ', null],
];

describe('validateAnswer', () => {
  it.each(cases)('%s', (_name, spec, input, expected) => {
    expect(validateAnswer(spec, input)).toBe(expected);
  });
});
