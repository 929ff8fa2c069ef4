import { CallbackCommandMatcher } from './callback-commands';
import { newRefCode, parseRefCode, REF_CODE_ALPHABET } from './ref-code';

describe('reference codes', () => {
  it('draws 6 symbols from an alphabet without 0/O/1/I/L', () => {
    expect(REF_CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    for (let i = 0; i < 200; i++) expect(newRefCode()).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  });

  it('is not sequential: a thousand draws are a thousand codes', () => {
    expect(new Set(Array.from({ length: 1000 }, () => newRefCode())).size).toBe(1000);
  });

  it.each([
    ['k7m2qx', 'K7M2QX'],
    ['K7M-2QX', 'K7M2QX'],
    [' k7m 2qx ', 'K7M2QX'],
    ['K7M2Q0', null],
    ['K7M2Q', null],
    ['K7M2QXX', null],
  ])('reads %p as %p', (typed, code) => {
    expect(parseRefCode(typed)).toBe(code);
  });
});

describe('status and cancel words', () => {
  const matcher = new CallbackCommandMatcher({
    fr: { callback: { words: { status: 'statut, etat', cancel: 'annuler' } } },
    bm: { callback: { words: { status: 'lajɛ', cancel: 'dabila' } } },
  });

  it.each([
    ['STATUT K7M2QX', { op: 'status', code: 'K7M2QX' }],
    ['état k7m-2qx', { op: 'status', code: 'K7M2QX' }],
    ['Annuler K7M2QX', { op: 'cancel', code: 'K7M2QX' }],
    ['dabila k7m2qx', { op: 'cancel', code: 'K7M2QX' }],
    ['annuler', null],
    ['annuler la demande', null],
    ['bonjour K7M2QX', null],
  ])('%p → %p', (text, command) => {
    expect(matcher.match(text)).toEqual(command);
  });
});
