import { Global, Module } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { ContactsModule } from '../contacts/contacts.module';
import { translatorProvider } from '../content/translator.provider';
import { CallbackConversationHooks } from './callback-conversation.hooks';
import { CallbackObservers } from './callback-observers';
import { CallbackRequestsRepository } from './callback-requests.repository';
import { CallbackProcessor } from './callback.processor';
import { CallbackScheduler } from './callback.scheduler';
import { CALLBACK_SETTINGS, callbackSettings } from './callback.settings';
import { CallbackWorker } from './callback.worker';
import { CallbackWorkflow } from './callback.workflow';
import { StaffNotifier } from './staff.notifier';

/**
 * Callback requests: PostgreSQL rows (source of truth), BullMQ jobs pointing at them, and the
 * handlers of the contact events it owns (callback_requested, callback_changed; jobs forgotten before
 * an erasure), found by the conversation shell's registry at start-up. Needs the global Config, Database, Crypto, Redis, Clock
 * and Content modules.
 */
@Global()
@Module({
  imports: [ContactsModule],
  providers: [
    { provide: CALLBACK_SETTINGS, inject: [CONFIG], useFactory: (config: Config) => callbackSettings(config) },
    translatorProvider,
    CallbackObservers,
    CallbackRequestsRepository,
    CallbackScheduler,
    CallbackWorkflow,
    StaffNotifier,
    CallbackProcessor,
    CallbackWorker,
    CallbackConversationHooks,
  ],
  exports: [CallbackObservers, CallbackRequestsRepository, CallbackWorkflow, CallbackScheduler, StaffNotifier, CALLBACK_SETTINGS],
})
export class CallbacksModule {}
