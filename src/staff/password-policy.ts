import { dictionary } from '@zxcvbn-ts/language-common';

/** Shortest password accepted for a staff account (a passphrase of a few words). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * The common-password list of zxcvbn-ts (`@zxcvbn-ts/language-common`, ~49,000 passwords ranked from
 * public breach corpora; MIT). A kept list, updated with the package, rather than one written here.
 * Built on first use: most processes never check a password.
 */
let common: ReadonlySet<string> | undefined;

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Why `password` is refused for a staff account (a sentence for the form), or undefined. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `at most ${MAX_PASSWORD_LENGTH} characters`;
  const folded = password.toLowerCase();
  if (variants(folded).some((v) => commonPasswords().has(v))) return 'this password is (or is made of) a common password: choose another';
  return undefined;
}

/**
 * The password and what people make of a common one to pass a length rule: digits or signs added at
 * the end ("sunshine2026!") or at the start, or a word said twice ("passwordpassword").
 */
function variants(folded: string): string[] {
  const out = [folded, folded.replace(/[^\p{L}]+$/u, ''), folded.replace(/^[^\p{L}]+/u, '')];
  const half = folded.length / 2;
  if (Number.isInteger(half) && folded.slice(0, half) === folded.slice(half)) out.push(folded.slice(0, half));
  return out.filter(Boolean);
}
