import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { SmsChannel } from '../sms/sms-channel';
import { SmsModule } from '../sms/sms.module';
import { ContactForgettersModule } from '../contact-forgetter';
import { TwilioForgetter } from './twilio.forgetter';
import { TwilioSender } from './twilio.sender';
import { TwilioWebhookController } from './twilio-webhook.controller';

/** Twilio as the SMS provider: its webhooks in, its REST API out. On when TWILIO_* are set. */
@Module({
  imports: [SmsModule, ContactForgettersModule],
  controllers: [TwilioWebhookController],
  // erasure: Twilio redacts the bodies it keeps
  providers: [TwilioForgetter],
})
export class TwilioModule implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SmsChannel) private readonly sms: SmsChannel,
  ) {}

  async onModuleInit(): Promise<void> {
    const twilio = this.config.twilio;
    if (!twilio) throw new Error('TwilioModule needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
    await this.sms.useProvider('twilio', new TwilioSender(twilio, this.config.http.publicBaseUrl));
  }
}
