import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Twilio } from 'twilio';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { CONTACT_FORGETTERS, emptyForgetResult, type ContactForgetter, type ContactForgetters, type ForgetContext, type ForgetResult } from '../contact-forgetter';
import { twilioFailureCode, twilioRestClient } from '../twilio/twilio-http.client';

/**
 * Asks Twilio to forget her calls: every call of the account from her number (to a voice or a flash
 * number) and to it (the return calls Sira placed) is listed and deleted (Twilio removes the call
 * record and its logs). Sira keeps no call id of its own, so the list comes from Twilio, by her
 * number, at the moment of the erasure.
 */
@Injectable()
export class TwilioVoiceForgetter implements ContactForgetter, OnModuleInit {
  readonly channel = 'voice' as const;
  readonly provider = 'twilio' as const;
  private readonly client: Twilio;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(CONTACT_FORGETTERS) private readonly registry: ContactForgetters,
  ) {
    const twilio = config.twilio;
    if (!twilio || !config.voice) throw new Error('TwilioVoiceForgetter needs Twilio and TWILIO_VOICE_NUMBERS');
    this.client = twilioRestClient(twilio);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forget({ address }: ForgetContext): Promise<ForgetResult> {
    const result = emptyForgetResult();
    const sids = new Set<string>();
    // the account's calls are all with Sira's numbers: hers to them, and Sira's return calls to her
    for (const filter of [{ from: address }, { to: address }]) {
      try {
        for (const call of await this.client.calls.list({ ...filter, limit: 500 })) sids.add(call.sid);
      } catch (err) {
        result.failures.push(twilioFailureCode(err));
      }
    }
    for (const sid of sids) {
      try {
        await this.client.calls(sid).remove();
        result.deleted++;
      } catch (err) {
        result.failures.push(twilioFailureCode(err));
      }
    }
    return result;
  }
}

