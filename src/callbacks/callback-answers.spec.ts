import { getCountries, getCountryCallingCode, getExampleNumber } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { BlindIndex } from '../crypto/blind-index';
import { KeyRing } from '../crypto/key-ring';
import { changesFromAnswers, ownPhoneNumber, requestFromAnswers } from './callback-answers';

/**
 * The number a request stores is indexed without being parsed a second time (BlindIndex.ofNormalised):
 * that is only right if the number the answers keep is already the blind index's own spelling. Checked
 * on libphonenumber's example mobile number of every country, typed in several ways.
 */
describe('the number kept from her callback answers', () => {
  const index = new BlindIndex(KeyRing.generate());
  const answers = { topic: 'other', call_language: 'fr', part_of_day: 'morning', days: 'any', voicemail: 'no', sms: 'yes', number_source: 'typed' };
  const ctx = { contactId: 'c', channel: 'sms' as const, address: '+22370123456', languages: ['fr'], consentVersion: 'v' };
  const typed = getCountries().flatMap((country) => {
    const national = getExampleNumber(country, examples)?.nationalNumber;
    if (!national) return [];
    const cc = getCountryCallingCode(country);
    return [`+${cc}${national}`, `+${cc} ${national.replace(/(\d{2})(?=\d)/g, '$1 ')}`, ` +${cc}-${national} `];
  });

  it('covers the example number of every country', () => {
    expect(typed.length).toBeGreaterThan(3 * 200);
  });

  it('is indexed the same without a second parse, for every spelling of every country', () => {
    let checked = 0;
    for (const spelling of typed) {
      let number: string;
      try {
        number = requestFromAnswers({ ...answers, number: spelling }, ctx).number;
      } catch {
        continue; // a spelling the answers refuse is never stored
      }
      checked++;
      expect([spelling, index.ofNormalised('sms', number)]).toEqual([spelling, index.of('sms', number)]);
      expect([spelling, index.ofNormalised('sms', number)]).toEqual([spelling, index.of('sms', spelling)]);
    }
    expect(checked).toBeGreaterThan(600);
  });

  it('is indexed the same without a second parse when it is the number she writes from', () => {
    for (const address of ['+22370123456', '+223 70 12 34 56', '+33612345678', '+1 202 555 0143']) {
      const own = ownPhoneNumber('sms', address);
      expect(own).not.toBeNull();
      expect(index.ofNormalised('sms', own!)).toBe(index.of('sms', address));
    }
  });
});

describe('changes she makes to her open request', () => {
  it('keeps only what she answered: a new time, or voicemail, or SMS', () => {
    expect(changesFromAnswers({ part_of_day: 'afternoon', days: 'weekdays' })).toEqual({ windows: [{ days: [1, 2, 3, 4, 5], fromMinute: 720, toMinute: 1020 }] });
    expect(changesFromAnswers({ voicemail: 'yes' })).toEqual({ voicemailSafe: true });
    expect(changesFromAnswers({ sms: 'no' })).toEqual({ smsSafe: false });
  });

  it('refuses a time without its days, an unknown answer, or no change at all, naming the field only', () => {
    expect(() => changesFromAnswers({ part_of_day: 'morning' })).toThrow(/days/);
    expect(() => changesFromAnswers({ voicemail: 'maybe' })).toThrow(/voicemail/);
    expect(() => changesFromAnswers({})).toThrow(/changes/);
  });
});
