import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { SmsChannel } from '../sms/sms-channel';
import { SmsModule } from '../sms/sms.module';
import { ContactForgettersModule } from '../contact-forgetter';
import { FlashCallsModule } from '../voice/flash-calls';
import { HttpSmsWebhookController } from './httpsms-webhook.controller';
import { SmsGatewayForgetter } from './sms-gateway.forgetter';
import { SmsGatewayLines } from './sms-gateway.lines';
import { SmsGatewayPacer } from './sms-gateway.pacer';
import { SmsGatewaySender } from './sms-gateway.sender';
import { SmsGatewayWebhookController } from './sms-gateway-webhook.controller';

/**
 * Relay phones ("SMS Gateway for Android", a local SIM) as an SMS provider: their webhooks in, their
 * API out, one SMS line per SIM. On when SMS_GATEWAY_PHONES is set; runs beside Twilio if both are.
 */
@Module({
  imports: [SmsModule, ContactForgettersModule, FlashCallsModule],
  // the phones' SMS app; httpSMS's missed calls (a flash: Sira calls her back when voice is on)
  controllers: [SmsGatewayWebhookController, HttpSmsWebhookController],
  providers: [SmsGatewayPacer, SmsGatewayForgetter],
})
export class SmsGatewayModule implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SmsChannel) private readonly sms: SmsChannel,
    @Inject(SmsGatewayLines) private readonly lines: SmsGatewayLines,
    @Inject(SmsGatewayPacer) private readonly pacer: SmsGatewayPacer,
  ) {}

  async onModuleInit(): Promise<void> {
    const relay = this.config.smsGateway;
    if (!relay) throw new Error('SmsGatewayModule needs SMS_GATEWAY_PHONES');
    for (const line of this.lines.all()) await this.sms.useProvider(line.line, new SmsGatewaySender(line, this.pacer, relay.timeoutMs));
  }
}
