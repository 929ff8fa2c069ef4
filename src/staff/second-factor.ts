import { randomBytes, randomInt } from 'node:crypto';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { verify } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import QRCode from 'qrcode';
import { base32 } from 'rfc4648';

/**
 * otplib's TOTP (RFC 6238) with Node's own HMAC; the base32 secret is decoded here with rfc4648 (the
 * `otplib` bundle's default plugins are ES modules only, which Jest's CommonJS runtime cannot load).
 */
const crypto = new NodeCryptoPlugin();
/** RFC 4226's recommended 160 bits. */
const SECRET_BYTES = 20;

/** RFC 6238 defaults every authenticator app understands: SHA-1, 6 digits, 30-second steps. */
export const TOTP_STEP_SECONDS = 30;
/** Codes of the step before and after the current one pass too (a phone clock a little off). */
const TOLERANCE_SECONDS = TOTP_STEP_SECONDS;
export const RECOVERY_CODE_COUNT = 10;
/** Letters and digits that cannot be misread for each other on paper (no 0/O, 1/I/L). */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** The authenticated context a TOTP secret is encrypted with: it only decrypts in its own account's row. */
export const totpContext = (userId: string) => `staff_users.totp:${userId}`;

export type CodeCheck = { valid: true; step: number } | { valid: false };

/** A new TOTP secret (base32, 160 bits). */
export function newTotpSecret(): string {
  return base32.stringify(randomBytes(SECRET_BYTES), { pad: false });
}

/** The `otpauth://` address an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: string): string {
  return generateTOTP({ issuer: 'Sira', label: account, secret });
}

/** The QR code of `uri` as an SVG element, drawn on the server (the staff pages run no script). */
export async function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, width: 220 });
}

/**
 * Checks a 6-digit code at `nowMs`, ±1 step. A step at or before `lastStep` is refused, so a code
 * that was accepted once (or an earlier one) never passes again.
 */
export async function checkTotp(secret: string, code: string, nowMs: number, lastStep: number | null): Promise<CodeCheck> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { valid: false };
  const result = await verify({
    secret: base32.parse(secret, { loose: true }),
    crypto,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  });
  return result.valid && 'timeStep' in result && typeof result.timeStep === 'number' ? { valid: true, step: result.timeStep } : { valid: false };
}

/** Ten recovery codes such as `K7QM-4XTR-9W` (50 bits each), to be shown once and stored hashed. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
}

/** A recovery code as typed (any case, spaces or dashes) in its stored form. */
export function normaliseRecoveryCode(input: string): string | undefined {
  const chars = input.toUpperCase().replace(/[\s-]+/g, '');
  if (chars.length !== 10 || [...chars].some((c) => !RECOVERY_ALPHABET.includes(c))) return undefined;
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** A code field holds a TOTP code (digits) or a recovery code (letters too). */
export function isRecoveryCodeShape(input: string): boolean {
  return /[a-z]/i.test(input);
}
