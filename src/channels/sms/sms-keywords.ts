/**
 * Carrier-level SMS keywords. Twilio (and most aggregators) act on these words themselves: after one
 * of the opt-out words the provider refuses every further SMS to her (Twilio error 21610) until she
 * sends an opt-in word. Sira's own command words live in the locales (`commands.stop`, `commands.start`:
 * STOP, ARRET, jɔ, …); these provider words are mapped onto STOP / START so that Sira's state always
 * agrees with the provider's. Only a message made of the word alone counts.
 */
const CARRIER_OPT_OUT = ['STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'];
const CARRIER_OPT_IN = ['UNSTOP'];

/** The text the conversation receives: a carrier keyword becomes STOP / START, anything else is unchanged. */
export function normaliseSmsKeyword(text: string): string {
  const word = text.trim().replace(/[.!\s]+$/u, '').toUpperCase();
  if (CARRIER_OPT_OUT.includes(word)) return 'STOP';
  if (CARRIER_OPT_IN.includes(word)) return 'START';
  return text;
}
