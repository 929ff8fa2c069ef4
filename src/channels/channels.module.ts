import { DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { SimulatorModule } from './simulator/simulator.module';
import { SmsGatewayModule } from './sms-gateway/sms-gateway.module';
import { SmsGatewayStatusModule } from './sms-gateway/sms-gateway-status.module';
import { TelegramModule } from './telegram/telegram.module';
import { TwilioModule } from './twilio/twilio.module';
import { TwilioVoiceModule } from './twilio-voice/twilio-voice.module';
import { TwilioVoiceBridgeModule } from './twilio-voice/twilio-voice-bridge.module';
import { WhatsAppModule } from './whatsapp/whatsapp.module';

/** The channels this configuration turns on; each one only translates to and from the conversation service. */
@Module({})
export class ChannelsModule {
  static forRoot(config: Config): DynamicModule {
    const imports: DynamicModule['imports'] = [SmsGatewayStatusModule];
    if (config.simulator.enabled) imports.push(SimulatorModule);
    if (config.telegram) imports.push(TelegramModule.forRoot(config));
    if (config.twilio) imports.push(TwilioModule);
    if (config.voice) imports.push(TwilioVoiceModule, TwilioVoiceBridgeModule);
    if (config.smsGateway) imports.push(SmsGatewayModule);
    if (config.whatsapp) imports.push(WhatsAppModule.forRoot(config));
    return { module: ChannelsModule, imports };
  }
}
