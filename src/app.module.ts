import { DynamicModule, Module } from '@nestjs/common';
import { CallbacksModule } from './callbacks/callbacks.module';
import { ChannelsModule } from './channels/channels.module';
import { Config, loadConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { ContactsModule } from './contacts/contacts.module';
import { ContentModule } from './content/content.module';
import { ContactEventsCheck } from './conversations/contact-events.check';
import { ConversationsModule } from './conversations/conversations.module';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './db/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { RedisModule } from './redis/redis.module';
import { ClockModule } from './common/clock.module';
import { PrivacyModule } from './privacy/privacy.module';
import { RecordingsModule } from './recordings/recordings.module';
import { StaffModule } from './staff/staff.module';
import { SubscriptionsModule } from './broadcasts/subscriptions.module';
import { BroadcastsModule } from './broadcasts/broadcasts.module';

/**
 * The shell: configuration first, then the outside systems (database, Redis), then content,
 * conversations and the channels that feed them. Tests pass their own Config.
 */
@Module({})
export class AppModule {
  static forRoot(config: Config = loadConfig()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        ClockModule,
        DatabaseModule,
        CryptoModule,
        ContactsModule,
        RedisModule,
        ContentModule,
        CallbacksModule,
        PrivacyModule,
        SubscriptionsModule,
        ConversationsModule,
        HealthModule,
        RecordingsModule,
        StaffModule,
        BroadcastsModule,
        ChannelsModule.forRoot(config),
        MetricsModule.forRoot(config),
      ],
      // every contact event has its one owner, or the service does not start
      providers: [ContactEventsCheck],
    };
  }
}
