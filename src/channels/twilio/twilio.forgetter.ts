import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Twilio } from 'twilio';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { CONTACT_FORGETTERS, emptyForgetResult, type ContactForgetter, type ContactForgetters, type ForgetContext, type ForgetResult } from '../contact-forgetter';
import { smsDedupId } from '../sms/sms-inbound';
import { twilioFailureCode, twilioRestClient } from './twilio-http.client';

/** Twilio's line name: the `provider` of its inbound SMS and the line its replies leave by. */
const TWILIO_LINE = 'twilio';

/**
 * Asks Twilio to forget the bodies of her conversation: every message Twilio sent her (the rows whose
 * provider is Twilio) and every message she sent to Sira's Twilio number (listed by her number), each
 * updated with an empty Body — Twilio's documented redaction. Uses the official client and the same
 * HTTP layer as the sender.
 */
@Injectable()
export class TwilioForgetter implements ContactForgetter, OnModuleInit {
  readonly channel = 'sms' as const;
  readonly provider = 'twilio' as const;
  private readonly client: Twilio;
  private readonly from: string;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(CONTACT_FORGETTERS) private readonly registry: ContactForgetters,
  ) {
    const twilio = config.twilio;
    if (!twilio) throw new Error('TwilioForgetter needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
    this.from = twilio.from;
    this.client = twilioRestClient(twilio);
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forget({ address, sent }: ForgetContext): Promise<ForgetResult> {
    const result = emptyForgetResult();
    // only what Twilio sent: another SMS line (a relay phone) records its own ids in the same column
    const sids = new Set(sent.filter((m) => m.provider === this.provider).map((m) => m.providerId));
    try {
      for (const m of await this.client.messages.list({ from: address, to: this.from, limit: 500 })) {
        sids.add(m.sid);
        result.inboundDedupIds.push(smsDedupId(TWILIO_LINE, m.sid));
      }
    } catch (err) {
      result.failures.push(twilioFailureCode(err));
    }
    for (const sid of sids) {
      try {
        await this.client.messages(sid).update({ body: '' });
        result.redacted++;
      } catch (err) {
        result.failures.push(twilioFailureCode(err));
      }
    }
    return result;
  }
}

