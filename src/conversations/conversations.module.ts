import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ContactsModule } from '../contacts/contacts.module';
import { ContactEventRegistry } from './contact-event.registry';
import { ContactEventsApplier } from './contact-events.applier';
import { ContactFacts } from './contact-facts.service';
import { ErasureHandler } from './erasure.handler';
import { ContactLock } from './contact.lock';
import { ConversationService } from './conversation.service';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { CONVERSATION_TIMINGS, conversationTimings } from './conversation.timings';
import { ConversationTurn } from './conversation.turn';
import { DedupLease } from './dedup.lease';
import { OutboundRegistry } from './outbound.registry';
import { SessionStore } from './session.store';
import { TurnGate } from './turn-gate';
import { TurnJournal } from './turn.journal';

/**
 * The conversation shell. Needs the global RedisModule, CryptoModule, DatabaseModule, ClockModule and
 * the CONTENT provider. Channel modules import it for `ConversationService` and `OutboundRegistry`.
 */
@Module({
  imports: [ContactsModule, DiscoveryModule],
  providers: [
    ContactEventRegistry,
    ErasureHandler,
    { provide: CONVERSATION_TIMINGS, inject: [CONFIG], useFactory: (config: Config) => conversationTimings(config) },
    DedupLease,
    ContactLock,
    SessionStore,
    ContactEventsApplier,
    ContactFacts,
    TurnJournal,
    TurnGate,
    ConversationTurn,
    OutboundRegistry,
    ConversationService,
  ],
  exports: [ConversationService, OutboundRegistry, SessionStore, ContactEventRegistry, ContactFacts],
})
export class ConversationsModule {}
