import { Global, Module } from '@nestjs/common';
import { ContactsModule } from '../contacts/contacts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { SubscriptionRenewals } from './subscription-renewals';
import { SubscriptionTurns } from './subscription-turns';
import { SubscriptionsRepository } from './subscriptions.repository';

/**
 * News subscriptions (issue 26): her choice in the conversation (SubscriptionTurns: facts and the news
 * events, found by the conversation shell's registry), the keep-it question and the lapse (worker role),
 * and the counts staff statistics show. Global so that staff statistics and broadcasts read the same
 * repository. Needs the global Config, Database, Crypto, Redis and Clock modules.
 */
@Global()
@Module({
  imports: [ContactsModule, OutboundModule],
  providers: [SubscriptionsRepository, SubscriptionTurns, SubscriptionRenewals],
  exports: [SubscriptionsRepository],
})
export class SubscriptionsModule {}
