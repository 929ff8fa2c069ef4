import { Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CONFIG } from '../config/config.module';
import { ContactForgettersModule } from '../channels/contact-forgetter';
import { ContactsModule } from '../contacts/contacts.module';
import type { Config } from '../config/config';
import { runsWorkers } from '../config/process-role';
import { AnonymousCountsRepository } from './anonymous-counts.repository';
import { ConsentService } from './consent.service';
import { PROACTIVE_POLICY } from './erasure.hook';
import { ErasureService } from './erasure.service';
import { KeyRotationService } from './key-rotation.service';
import { PrivacyJobName, type ForgetJobData } from './privacy-jobs';
import { PrivacyQueue } from './privacy.queue';
import { PRIVACY_SETTINGS, privacySettings, type PrivacySettings } from './privacy.settings';
import { ProviderForgetter } from './provider-forgetter';
import { RedisTraces } from './redis-traces';
import { RetentionService } from './retention.service';

/**
 * Erasure beyond her rows (providers, counts, audit), consent events, retention and key rotation; its
 * contact-event handlers are found by the conversation shell's registry. Needs the global Config,
 * Database, Crypto, Redis and Clock modules.
 */
@Global()
@Module({
  imports: [ContactsModule, ContactForgettersModule],
  providers: [
    { provide: PRIVACY_SETTINGS, inject: [CONFIG], useFactory: (config: Config) => privacySettings(config) },
    AnonymousCountsRepository,
    PrivacyQueue,
    RedisTraces,
    ProviderForgetter,
    RetentionService,
    KeyRotationService,
    ConsentService,
    ErasureService,
    { provide: PROACTIVE_POLICY, useExisting: ConsentService },
  ],
  exports: [PROACTIVE_POLICY, ConsentService, AnonymousCountsRepository, RetentionService, KeyRotationService, PrivacyQueue, PRIVACY_SETTINGS],
})
export class PrivacyModule implements OnApplicationBootstrap {
  constructor(
    @Inject(PrivacyQueue) private readonly queue: PrivacyQueue,
    @Inject(ProviderForgetter) private readonly forgetter: ProviderForgetter,
    @Inject(RetentionService) private readonly retention: RetentionService,
    @Inject(PRIVACY_SETTINGS) private readonly settings: PrivacySettings,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!runsWorkers(this.config)) return; // the worker and the retention scheduler run in worker processes
    await this.queue.start((job: Job) => this.process(job));
    await this.queue.scheduleRetention(this.settings.retentionPattern);
  }

  private process(job: Job): Promise<unknown> {
    if (job.name === PrivacyJobName.ForgetAtProviders) return this.forgetter.forget(job.id!, job.data as ForgetJobData);
    if (job.name === PrivacyJobName.Retention) return this.retention.run();
    return Promise.resolve(undefined);
  }
}
