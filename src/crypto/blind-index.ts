import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ChannelName } from '../common/channel-name';
import { KeyRing } from './key-ring';
import { InvalidAddressError, normaliseAddress } from './normalise-address';

/** E.164 as `normaliseAddress` writes an SMS number: `+` and 3 to 15 digits, nothing else. */
const E164 = /^\+\d{3,15}$/;

/**
 * A keyed pseudonym of an address: HMAC-SHA256 over `${channel}:${normalisedAddress}`, base64url
 * (43 characters). Equal for every spelling of one address on one channel, different across channels
 * and keys, and useless without the key. It is what the database looks up and what Redis keys contain
 * instead of a phone number or chat id.
 */
@Injectable()
export class BlindIndex {
  /** the key as a KeyObject, made once (not re-imported from bytes by every HMAC). */
  private readonly key: KeyObject;

  constructor(keys: KeyRing) {
    this.key = createSecretKey(keys.blindIndexKey);
  }

  of(channel: ChannelName, address: string): string {
    return this.hmac(channel, normaliseAddress(channel, address));
  }

  /**
   * The index of an SMS number already in the E.164 form libphonenumber gives (a number the callback
   * answers checked): the same value as `of`, without parsing the number a second time. Anything not
   * written as E.164 is refused rather than indexed under a spelling `of` would not produce.
   */
  ofNormalised(channel: 'sms', e164: string): string {
    if (!E164.test(e164)) throw new InvalidAddressError(channel);
    return this.hmac(channel, e164);
  }

  /** Whether `address` on `channel` is the one behind `index`, compared in constant time. */
  matches(channel: ChannelName, address: string, index: string): boolean {
    const expected = Buffer.from(this.of(channel, address), 'utf8');
    const given = Buffer.from(index, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private hmac(channel: ChannelName, normalised: string): string {
    return createHmac('sha256', this.key).update(`${channel}:${normalised}`, 'utf8').digest('base64url');
  }
}
