import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { translatorProvider } from '../../content/translator.provider';
import { ContactsModule } from '../../contacts/contacts.module';
import { OutboundModule } from '../../outbound/outbound.module';
import { RecordingsModule } from '../../recordings/recordings.module';
import { ListenVoices } from '../listen-voices';
import { VoiceModule } from '../voice/voice.module';
import { SimulatorCallsController } from './simulator-calls.controller';
import { SimulatorListen } from './simulator-listen';
import { SimulatorController } from './simulator.controller';
import { SimulatorOutbound, SimulatorSender } from './simulator.outbound';
import { SimulatorOutbox } from './simulator.outbox';
import { SimulatorRenderer } from './simulator.renderer';

/**
 * Development only: AppModule leaves it out when `config.simulator.enabled` is false (always in production).
 * A channel like the others: inbound through the conversation service, replies through the outbound
 * queue to its sender, which keeps them in the outbox its controller reads. Its keypad phone is a
 * caller of the voice channel (VoiceCalls), whose answer is the next prompt.
 */
@Module({
  imports: [ConversationsModule, ContactsModule, OutboundModule, RecordingsModule, VoiceModule],
  controllers: [SimulatorController, SimulatorCallsController],
  providers: [ListenVoices, SimulatorListen, SimulatorRenderer, SimulatorOutbox, SimulatorSender, SimulatorOutbound, translatorProvider],
})
export class SimulatorModule {}
