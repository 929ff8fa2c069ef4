import fc from 'fast-check';
import { TEST_ACCOUNT_SID } from '../sms/sms-test.helpers';
import { hostileText } from './hostile.arbitraries';
import { encode, rawBytes, signForm, wellFormed } from './twilio-form.arbitrary';

/** One hostile delivery receipt: the raw form body, its signature, and whether it names the fuzzed row. */
export interface StatusCase {
  body: string;
  signature: string;
  /** the MessageSid is the one real row the fuzz may hit (the others are unknown to Sira). */
  namesRow: boolean;
}

/** What Twilio posts as `MessageStatus`, and what it never does. */
const TWILIO_STATUSES = ['queued', 'accepted', 'scheduled', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'read', 'receiving', 'received', 'partially_delivered'];
const unknownStatus = fc.constantFrom('DELIVERED', 'delivered ', ' sent', 'exploded', 'unknown', 'deleted', '__proto__', 'toString', 'sent\u0000', 'dеlivered' /* Cyrillic е */);

const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 32, maxLength: 32 });
/** a well-formed SID Sira never sent (SM…/MM…), or one a digit short or long. */
const strangerSid = fc.oneof(
  hex32.map((h) => `SM${h}`),
  hex32.map((h) => `MM${h}`),
  hex32.map((h) => `SM${h.slice(1)}`),
  hex32.map((h) => `SM${h}0`),
  hex32.map((h) => `XX${h}`),
);
/** absent (most receipts), a code, or something that is not one. */
const errorCode = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.constantFrom('21610', '30003', '30008', '0', '999999') },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('1234567', '-1', '21610 ', '２１６１０'), hostileText.map(wellFormed)) },
);

type Mutation = 'plain' | 'extra_fields' | 'missing_fields' | 'repeated_fields' | 'raw_bytes';

/**
 * Signed receipts with hostile values: unknown or mangled statuses, SIDs of every shape (and the one
 * real row `rowSid`), error codes that are not codes, huge and control-character strings, missing,
 * repeated (an array after parsing) and extra fields, raw invalid UTF-8 bytes.
 */
export const statusCase = (path: string, rowSid: string): fc.Arbitrary<StatusCase> =>
  fc
    .record({
      sid: fc.oneof({ weight: 2, arbitrary: fc.constant(rowSid) }, { weight: 3, arbitrary: strangerSid }, { weight: 2, arbitrary: hostileText.map(wellFormed) }),
      account: fc.oneof({ weight: 4, arbitrary: fc.constant(TEST_ACCOUNT_SID) }, { weight: 1, arbitrary: hostileText.map(wellFormed) }),
      status: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TWILIO_STATUSES) }, { weight: 1, arbitrary: unknownStatus }, { weight: 2, arbitrary: hostileText.map(wellFormed) }),
      error: errorCode,
      mutation: fc.oneof({ weight: 3, arbitrary: fc.constant<Mutation>('plain') }, fc.constantFrom<Mutation>('extra_fields', 'missing_fields', 'repeated_fields', 'raw_bytes')),
      extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'MessageStatus[]', 'ErrorCode[0]', 'To', 'From', 'SmsStatus', 'RawDlrDoneDate'), hostileText.map(wellFormed)), hostileText.map(wellFormed)), { maxLength: 4 }),
      drop: fc.subarray(['MessageSid', 'AccountSid', 'MessageStatus', 'ErrorCode', 'To', 'From']),
      rawField: fc.constantFrom('MessageStatus', 'ErrorCode', 'MessageSid'),
      raw: rawBytes,
    })
    .map(({ sid, account, status, error, mutation, extra, drop, rawField, raw }) => {
      // the fields Twilio sends with a status callback, in its order
      let pairs: [string, string][] = [
        ['SmsSid', sid], ['SmsStatus', status], ['MessageStatus', status], ['To', '+22370000001'], ['MessageSid', sid],
        ['AccountSid', account], ['From', '+15005550006'], ['ApiVersion', '2010-04-01'],
      ];
      if (error !== undefined) pairs.push(['ErrorCode', error]);
      if (mutation === 'extra_fields') pairs.push(...extra.map(([k, v]) => [k || 'x', v] as [string, string]));
      if (mutation === 'missing_fields') pairs = pairs.filter(([k]) => !drop.includes(k));
      if (mutation === 'repeated_fields') pairs.push(['MessageStatus', 'delivered'], ['MessageSid', sid], ['ErrorCode', '21610']);
      let body = encode(pairs);
      if (mutation === 'raw_bytes') body = `${encode(pairs.filter(([k]) => k !== rawField))}&${rawField}=${raw}`;
      return { body, signature: signForm(path, body), namesRow: sid === rowSid };
    });
