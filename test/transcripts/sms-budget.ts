/**
 * How many SMS segments a text costs (domain-facts §6, GSM 03.38): GSM-7 texts take 160 characters
 * (153 per part when split, extension characters count twice); one character outside GSM-7 turns
 * the whole text into UCS-2 (70, 67 per part). Lowercase ç is counted as outside GSM-7 because
 * gateways disagree on it.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

export function smsSegments(text: string): number {
  const chars = [...text];
  const gsm = chars.every((c) => GSM7_BASIC.includes(c) || GSM7_EXTENSION.includes(c));
  if (gsm) {
    const units = chars.reduce((n, c) => n + (GSM7_EXTENSION.includes(c) ? 2 : 1), 0);
    return units <= 160 ? 1 : Math.ceil(units / 153);
  }
  const units = text.length; // UTF-16 code units, as UCS-2/UTF-16 SMS count them
  return units <= 70 ? 1 : Math.ceil(units / 67);
}
