import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { translatorProvider } from '../../content/translator.provider';
import { SimulatorController } from './simulator.controller';
import { SimulatorRenderer } from './simulator.renderer';

/** Development only: AppModule leaves it out when `config.simulator.enabled` is false (always in production). */
@Module({
  imports: [ConversationsModule],
  controllers: [SimulatorController],
  providers: [SimulatorRenderer, translatorProvider],
})
export class SimulatorModule {}
