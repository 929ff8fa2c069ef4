import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { ValidatorSpec } from './engine.types';
import { normalizeText } from './normalize';

/** Region assumed for numbers written the local way (8 digits in Mali). */
const DEFAULT_PHONE_COUNTRY = 'ML';

/**
 * Checks a free answer. Returns the value to save (digits only, E.164 number, or the option as
 * written in the flow) or null when the answer is not acceptable. Never throws.
 */
export function validateAnswer(spec: ValidatorSpec, raw: string): string | null {
  switch (spec.type) {
    case 'digits':
      return validateDigits(spec, raw);
    case 'phone':
      return validatePhone(raw, spec.country ?? DEFAULT_PHONE_COUNTRY, spec.countries);
    case 'one_of': {
      const wanted = normalizeText(raw);
      return (spec.options ?? []).find((o) => normalizeText(String(o)) === wanted && wanted !== '') ?? null;
    }
    default:
      return null;
  }
}

function validateDigits(spec: { min_length?: number; max_length?: number }, raw: string): string | null {
  // people write codes with spaces, dots or dashes between groups
  const digits = raw.replace(/[\s.\-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  if (spec.min_length !== undefined && digits.length < spec.min_length) return null;
  if (spec.max_length !== undefined && digits.length > spec.max_length) return null;
  return digits;
}

function validatePhone(raw: string, country: string, allowed?: string[]): string | null {
  if (raw.length > 40) return null;
  try {
    const parsed = parsePhoneNumberFromString(raw.trim(), country as CountryCode);
    if (!parsed || !parsed.isValid()) return null;
    if (allowed && !(parsed.country && allowed.includes(parsed.country))) return null;
    return parsed.number;
  } catch {
    return null;
  }
}
