import { Global, Module } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { SmsGatewayLines } from './sms-gateway.lines';
import { SmsGatewayStatus } from './sms-gateway-status.service';

/**
 * Relay health for whoever asks (/health/ready, the staff dashboard): global and always present, so
 * they can inject `SmsGatewayStatus` whether or not a relay is configured (then it has no phones).
 */
@Global()
@Module({
  providers: [{ provide: SmsGatewayLines, inject: [CONFIG], useFactory: (config: Config) => new SmsGatewayLines(config.smsGateway) }, SmsGatewayStatus],
  exports: [SmsGatewayLines, SmsGatewayStatus],
})
export class SmsGatewayStatusModule {}
