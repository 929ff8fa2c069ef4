import { Global, Injectable, Module } from '@nestjs/common';
import type { ReturnCallOutcome } from './return-calls.service';

/** What places return calls (ReturnCalls, when a voice provider is configured). */
export interface FlashCallTaker {
  request(address: string): Promise<ReturnCallOutcome>;
}

/**
 * The one entry of every flash source: a call rejected at a Twilio flash number, a missed call a relay
 * phone reports, later a local SIP/GSM line. A source only translates its provider's event into her
 * number and calls `request`; whether she is called back (cooldown, caps, hours, STOP) is decided by
 * the voice channel. Without a voice provider there is no one to call her back: `off`.
 */
@Injectable()
export class FlashCalls {
  private taker?: FlashCallTaker;

  register(taker: FlashCallTaker): void {
    if (this.taker) throw new Error('a return-call taker is already registered');
    this.taker = taker;
  }

  get enabled(): boolean {
    return this.taker !== undefined;
  }

  /** She flashed (or missed-called) one of Sira's numbers. */
  request(address: string): Promise<ReturnCallOutcome | 'off'> {
    return this.taker ? this.taker.request(address) : Promise.resolve('off');
  }
}

/**
 * One registry for the whole app, imported by each flash source that needs it (the relay phones): the
 * voice channel, when configured, registers with it (ReturnCalls injects it as optional).
 */
@Global()
@Module({ providers: [FlashCalls], exports: [FlashCalls] })
export class FlashCallsModule {}
