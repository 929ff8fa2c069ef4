import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { OutboundMessagesRepository } from './outbound-messages.repository';
import { OutboundService } from './outbound.service';
import { DEFAULT_OUTBOUND_SWEEP, OUTBOUND_SWEEP_SETTINGS, OutboundSweep } from './outbound.sweep';

/**
 * The channel-neutral outbound queue. A channel module imports it and, in its `onModuleInit`, awaits
 * `OutboundService.registerChannel({ channel, queue, render, sender, limiter, … })`.
 * Needs the global Config, Database, Crypto modules.
 */
@Module({
  imports: [ContactsModule, ConversationsModule],
  // OutboundSweep: puts back the jobs of queued rows a lost Redis took with it (worker processes)
  providers: [OutboundMessagesRepository, OutboundService, { provide: OUTBOUND_SWEEP_SETTINGS, useValue: DEFAULT_OUTBOUND_SWEEP }, OutboundSweep],
  exports: [OutboundService, OutboundMessagesRepository, OutboundSweep],
})
export class OutboundModule {}
