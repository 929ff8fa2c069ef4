import { Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { StaffModule } from '../staff/staff.module';
import { BroadcastApiController } from './broadcast-api.controller';
import { BroadcastPagesController } from './broadcast-pages.controller';
import { BroadcastBudget } from './broadcast-budget';
import { BroadcastDelivery } from './broadcast-delivery';
import { BroadcastInfoTurns } from './broadcast-info.turns';
import { BroadcastSender } from './broadcast.sender';
import { BroadcastsRepository } from './broadcasts.repository';
import { BroadcastsService } from './broadcasts.service';

/**
 * Staff-sent broadcasts to the subscribers of a topic (the subscriptions are src/broadcasts/subscriptions*):
 * drafted and approved by two people, sent by the outbound queue of each channel. Needs the global
 * Config, Database, Redis, Clock and Content modules.
 */
@Module({
  imports: [ContactsModule, OutboundModule, StaffModule],
  controllers: [BroadcastApiController, BroadcastPagesController],
  // BroadcastInfoTurns: INFO inside the conversation (a turn participant the conversation shell discovers)
  providers: [BroadcastsRepository, BroadcastBudget, BroadcastDelivery, BroadcastSender, BroadcastsService, BroadcastInfoTurns],
  exports: [BroadcastsRepository, BroadcastSender],
})
export class BroadcastsModule {}
