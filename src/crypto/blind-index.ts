import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { ChannelName } from '../conversations/inbound-message';
import { KeyRing } from './key-ring';
import { normaliseAddress } from './normalise-address';

/**
 * A keyed pseudonym of an address: HMAC-SHA256 over `${channel}:${normalisedAddress}`, base64url
 * (43 characters). Equal for every spelling of one address on one channel, different across channels
 * and keys, and useless without the key. It is what the database looks up and what Redis keys contain
 * instead of a phone number or chat id.
 */
@Injectable()
export class BlindIndex {
  private readonly key: Buffer;

  constructor(keys: KeyRing) {
    this.key = keys.blindIndexKey;
  }

  of(channel: ChannelName, address: string): string {
    const normalised = normaliseAddress(channel, address);
    return createHmac('sha256', this.key).update(`${channel}:${normalised}`, 'utf8').digest('base64url');
  }

  /** Whether `address` on `channel` is the one behind `index`, compared in constant time. */
  matches(channel: ChannelName, address: string, index: string): boolean {
    const expected = Buffer.from(this.of(channel, address), 'utf8');
    const given = Buffer.from(index, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
