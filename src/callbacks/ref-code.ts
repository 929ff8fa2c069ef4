import { randomInt } from 'node:crypto';

/**
 * Letters and digits that cannot be mistaken for one another when read aloud or typed on a basic
 * phone: no 0/O, 1/I/L. 31 symbols, 6 of them: about 887 million codes, drawn at random (never
 * sequential, so a code says nothing about how many requests exist or when it was made).
 */
export const REF_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const REF_CODE_LENGTH = 6;

export function newRefCode(draw: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < REF_CODE_LENGTH; i++) code += REF_CODE_ALPHABET[draw(REF_CODE_ALPHABET.length)];
  return code;
}

/** The code she typed ("k7m-2qx", "K7M 2QX") in its stored form, or null when it cannot be one. */
export function parseRefCode(text: string): string | null {
  const code = text.toUpperCase().replace(/[\s.\-]/g, '');
  if (code.length !== REF_CODE_LENGTH) return null;
  for (const ch of code) if (!REF_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
