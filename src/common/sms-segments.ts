/**
 * What an SMS costs (domain-facts §6, GSM 03.38 / 3GPP TS 23.038). GSM-7 texts take 160 septets in
 * one segment, 153 per segment when split, and extension characters count twice; a single character
 * outside GSM-7 makes the whole text UCS-2: 70 UTF-16 units, 67 per segment when split.
 */
const GSM7_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
]);
// Lowercase ç is left out on purpose: 0x09 is drawn Ç in the spec and gateways disagree (domain-facts §6).
const GSM7_EXTENSION = new Set([...'\f^{}\\[~]|€']);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsCost {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** the characters that forced UCS-2, once each (empty for GSM-7): what to fix in the content. */
  nonGsm: string[];
}

export const GSM7_SINGLE = 160;
export const GSM7_MULTI = 153;
export const UCS2_SINGLE = 70;
export const UCS2_MULTI = 67;

export function isGsm7Char(c: string): boolean {
  return GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c);
}

export function smsCost(text: string): SmsCost {
  const chars = [...text];
  const nonGsm = [...new Set(chars.filter((c) => !isGsm7Char(c)))];
  if (nonGsm.length === 0) {
    const units = chars.reduce((n, c) => n + (GSM7_EXTENSION.has(c) ? 2 : 1), 0);
    return { encoding: 'GSM-7', units, segments: segmentsFor(units, GSM7_SINGLE, GSM7_MULTI), nonGsm };
  }
  const units = text.length; // UTF-16 code units: an emoji costs two
  return { encoding: 'UCS-2', units, segments: segmentsFor(units, UCS2_SINGLE, UCS2_MULTI), nonGsm };
}

/** Segments only (the provisional transcripts counter had this signature). */
export function smsSegments(text: string): number {
  return smsCost(text).segments;
}

function segmentsFor(units: number, single: number, multi: number): number {
  if (units === 0) return 1;
  return units <= single ? 1 : Math.ceil(units / multi);
}
