import { DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../config/config';
import { SimulatorModule } from './simulator/simulator.module';
import { TelegramModule } from './telegram/telegram.module';
import { TwilioModule } from './twilio/twilio.module';

/** The channels this configuration turns on; each one only translates to and from the conversation service. */
@Module({})
export class ChannelsModule {
  static forRoot(config: Config): DynamicModule {
    const imports = [];
    if (config.simulator.enabled) imports.push(SimulatorModule);
    if (config.telegram) imports.push(TelegramModule.forRoot(config));
    if (config.twilio) imports.push(TwilioModule);
    return { module: ChannelsModule, imports };
  }
}
