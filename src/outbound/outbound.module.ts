import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { OutboundMessagesRepository } from './outbound-messages.repository';
import { OutboundService } from './outbound.service';

/**
 * The channel-neutral outbound queue. A channel module imports it and, in its `onModuleInit`, awaits
 * `OutboundService.registerChannel({ channel, queue, render, sender, limiter, … })`.
 * Needs the global Config, Database, Crypto modules.
 */
@Module({
  imports: [ContactsModule, ConversationsModule],
  providers: [OutboundMessagesRepository, OutboundService],
  exports: [OutboundService, OutboundMessagesRepository],
})
export class OutboundModule {}
