import fc from 'fast-check';
import * as qs from 'qs';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { normaliseSmsKeyword } from '../../src/channels/sms/sms-keywords';
import { matchCommand } from '../../src/engine/answer';
import { normalizeText } from '../../src/engine/normalize';
import { contentTexts, inboundParams, PUBLIC_BASE_URL } from '../sms/twilio-test.harness';
import { TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { hostileText } from './hostile.arbitraries';

/** One hostile Twilio request: the raw form body and the number whose conversation is checked after it. */
export interface TwilioCase {
  from: string;
  body: string;
  signature: string;
}

type Mutation = 'plain' | 'extra_fields' | 'missing_fields' | 'repeated_fields' | 'hostile_from' | 'hostile_num_media' | 'raw_bytes';

let nextNumber = 0;
/** a Malian number of its own for every case (each case is its own conversation). */
const caseNumber = () => `+2237${String(nextNumber++).padStart(7, '0')}`;

/** Bytes percent-encoded one by one: invalid UTF-8, NULs and CESU-8 surrogates reach the parser as they are. */
export const rawBytes = fc.uint8Array({ maxLength: 80 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''));

export function encode(pairs: [string, string][]): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** `encodeURIComponent` refuses lone surrogates; a sender's phone would have replaced them too. */
export const wellFormed = (s: string) => s.replace(/[\uD800-\uDFFF]/g, (c, i: number, all: string) => (isPaired(all, i) ? c : '\uFFFD'));
function isPaired(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 0xdc00 ? i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff : i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00;
}

/**
 * Words that opt her out, after which silence is the right answer: the property "her conversation
 * still answers" does not hold for them by design, so they are left to the keyword tests.
 */
export function optsOut(text: string): boolean {
  return matchCommand(flowSet, normalizeText(normaliseSmsKeyword(text))) === 'stop';
}
const { flowSet } = contentTexts().content;

/** What the server's body parser (qs, as configured in http.setup) makes of the body: what Twilio signs. */
export function parsedForm(body: string): Record<string, unknown> {
  return qs.parse(body, { allowPrototypes: true, depth: 0, parameterLimit: 1000, arrayLimit: 1000, strictDepth: true }) as Record<string, unknown>;
}

export function signForm(path: string, body: string): string {
  return getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, parsedForm(body));
}

export const twilioCase = (path: string): fc.Arbitrary<TwilioCase> =>
  fc
    .record({
      text: hostileText.map(wellFormed).filter((t) => !optsOut(t)),
      mutation: fc.constantFrom<Mutation>('plain', 'extra_fields', 'missing_fields', 'repeated_fields', 'hostile_from', 'hostile_num_media', 'raw_bytes'),
      extra: fc.array(fc.tuple(hostileText.map(wellFormed), hostileText.map(wellFormed)), { maxLength: 4 }),
      drop: fc.subarray(['Body', 'From', 'To', 'MessageSid', 'AccountSid', 'NumMedia', 'SmsSid']),
      raw: rawBytes,
    })
    .map(({ text, mutation, extra, drop, raw }) => {
      const from = caseNumber();
      const params = inboundParams(from, text);
      let pairs = Object.entries(params);
      if (mutation === 'extra_fields') pairs.push(...extra.map(([k, v]) => [k || 'x', v] as [string, string]));
      if (mutation === 'missing_fields') pairs = pairs.filter(([k]) => !drop.includes(k));
      if (mutation === 'repeated_fields') pairs.push(['Body', text], ['From', '+22370000000'], ['MessageSid', params.MessageSid!]);
      if (mutation === 'hostile_from') pairs = pairs.map(([k, v]) => (k === 'From' ? [k, text.slice(0, 200)] : [k, v]));
      if (mutation === 'hostile_num_media') pairs = pairs.map(([k, v]) => (k === 'NumMedia' ? [k, text.slice(0, 50)] : [k, v]));
      let body = encode(pairs);
      if (mutation === 'raw_bytes') body = `${encode(pairs.filter(([k]) => k !== 'Body'))}&Body=${raw}`;
      return { from, body, signature: signForm(path, body) };
    });
