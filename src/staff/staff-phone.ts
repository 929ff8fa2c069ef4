import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { StaffInputError } from './staff.types';

/** The authenticated context of a staff phone: a token copied into another account's row will not decrypt. */
export function staffPhoneContext(staffId: string): string {
  return `staff_users.phone:${staffId}`;
}

/**
 * A staff member's own phone as typed (spaces, dots and dashes allowed), checked with libphonenumber-js
 * and returned in E.164; the country code is required (Sira has no default country). The error never
 * repeats what was typed.
 */
export function checkStaffPhone(input: string): string {
  const typed = input.trim();
  if (typed.length > 32 || !/^\+[0-9 .\-()]+$/.test(typed)) throw new StaffInputError('phone: an international number starting with + and the country code (e.g. +223 …)');
  const parsed = parsePhoneNumberFromString(typed);
  if (!parsed || !parsed.isValid()) throw new StaffInputError('phone: not a valid number for its country');
  return parsed.number;
}

/** The phone as her account page shows it: the country code and the last two digits only. */
export function maskedPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const cc = parsed ? `+${parsed.countryCallingCode} ` : '';
  return `${cc}${'•'.repeat(Math.max(2, (parsed?.nationalNumber.length ?? 8) - 2))}${e164.slice(-2)}`;
}
