import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { translatorProvider } from '../../content/translator.provider';
import { OutboundModule } from '../../outbound/outbound.module';
import { SimulatorController } from './simulator.controller';
import { SimulatorOutbound, SimulatorSender } from './simulator.outbound';
import { SimulatorOutbox } from './simulator.outbox';
import { SimulatorRenderer } from './simulator.renderer';

/**
 * Development only: AppModule leaves it out when `config.simulator.enabled` is false (always in production).
 * A channel like the others: inbound through the conversation service, replies through the outbound
 * queue to its sender, which keeps them in the outbox its controller reads.
 */
@Module({
  imports: [ConversationsModule, OutboundModule],
  controllers: [SimulatorController],
  providers: [SimulatorRenderer, SimulatorOutbox, SimulatorSender, SimulatorOutbound, translatorProvider],
})
export class SimulatorModule {}
