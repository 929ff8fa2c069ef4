import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { ChannelName } from '../common/channel-name';

/** Region assumed for an SMS number written without its +country prefix (Sira serves Mali). */
const DEFAULT_REGION = 'ML';

export class InvalidAddressError extends Error {
  constructor(channel: ChannelName) {
    // The address itself is never part of the message: errors end up in logs.
    super(`invalid ${channel} address`);
    this.name = 'InvalidAddressError';
  }
}

/**
 * One spelling per identity, so that "+223 70 00 00 01", "0022370000001" and "+22370000001" share one
 * blind index and one contact. SMS and voice callers (and simulated SMS numbers) become E.164; Telegram chat ids stay the
 * provider's integer as a string, WhatsApp ids (wa_id) the provider's digits. A simulator address that is not a phone number is kept as typed.
 */
export function normaliseAddress(channel: ChannelName, address: string): string {
  const trimmed = address.trim();
  if (!trimmed) throw new InvalidAddressError(channel);
  switch (channel) {
    case 'telegram':
      if (!/^-?\d+$/.test(trimmed)) throw new InvalidAddressError(channel);
      return trimmed.replace(/^(-?)0+(?=\d)/, '$1');
    case 'sms':
    case 'voice': {
      const e164 = toE164(trimmed);
      if (!e164) throw new InvalidAddressError(channel);
      return e164;
    }
    case 'simulator':
      return toE164(trimmed) ?? trimmed;
    case 'whatsapp':
      // the Cloud API's wa_id: her number's digits with the country code, no '+'
      if (!/^\d{6,15}$/.test(trimmed)) throw new InvalidAddressError(channel);
      return trimmed;
  }
}

function toE164(raw: string): string | undefined {
  const compact = raw.replace(/[\s().-]/g, '').replace(/^00/, '+');
  if (!/^\+?\d{3,15}$/.test(compact)) return undefined;
  const parsed = parsePhoneNumberFromString(compact, DEFAULT_REGION);
  if (parsed?.isPossible()) return parsed.number;
  // Short codes and test numbers libphonenumber does not know still get one stable spelling.
  return compact.startsWith('+') ? compact : undefined;
}
