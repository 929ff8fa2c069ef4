import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CONTACT_FORGETTERS, emptyForgetResult, type ContactForgetter, type ContactForgetters, type ForgetResult } from '../contact-forgetter';

/**
 * The relay phones' part in an erasure: nothing to ask. Unlike Twilio, no third party keeps her
 * conversation: the SMS sit on Sira's own Android phones, and "SMS Gateway for Android" offers no call
 * that deletes a message from the phone's SMS store (its API sends and reports states only). What the
 * phones keep is wiped on the phone itself by whoever holds it (README, relay phones: "erase them there"). Registered all the
 * same, so an erasure on a relay line is seen to have asked every provider of her channel.
 */
@Injectable()
export class SmsGatewayForgetter implements ContactForgetter, OnModuleInit {
  readonly channel = 'sms' as const;
  readonly provider = 'sms_gateway' as const;

  constructor(@Inject(CONTACT_FORGETTERS) private readonly registry: ContactForgetters) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async forget(): Promise<ForgetResult> {
    return emptyForgetResult();
  }
}
