import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import { CallbackOutcomesRepository, StatusSms } from '../callbacks';
import { ContactsModule } from '../contacts/contacts.module';
import { OutboundModule } from '../outbound/outbound.module';
import { RecordingsModule } from '../recordings/recordings.module';
import { StaffCallLineModule } from '../channels/voice/staff-call.port';
import { InsightsController } from '../insights/insights.controller';
import { InsightsModule } from '../insights/insights.module';
import { StaffApiController } from './api/staff-api.controller';
import { AuditLogRepository } from './audit-log.repository';
import { BullBoardMount } from './bull-board.mount';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { LoginLimiter } from './login-limiter';
import { PasswordHasher } from './password.hasher';
import { StaffAccountController } from './staff-account.controller';
import { StaffCallBridgeService } from './staff-call.bridge';
import { StaffCallApiController, StaffCallController } from './staff-call.controller';
import { StaffCallErasure } from './staff-call.erasure';
import { StaffCallsRepository } from './staff-calls.repository';
import { StaffCallsService } from './staff-calls.service';
import { StaffPhoneRepository } from './staff-phone.repository';
import { StaffAccountsService } from './staff-accounts.service';
import { StaffSecondFactorRepository } from './staff-second-factor.repository';
import { StaffSecondFactorService } from './staff-second-factor.service';
import { StaffAdminController } from './staff-admin.controller';
import { StaffAuthController } from './staff-auth.controller';
import { StaffAuthService } from './staff-auth.service';
import { StaffCsrf } from './staff-csrf';
import { StaffQueueController } from './staff-queue.controller';
import { StaffQueueService } from './staff-queue.service';
import { StaffRecordingsController } from './staff-recordings.controller';
import { StaffRequestsService } from './staff-requests.service';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { StaffStatsService } from './staff-stats.service';
import { StaffSupervisionController } from './staff-supervision.controller';
import { StaffUsersRepository } from './staff-users.repository';
import { StaffGuard } from './staff.guard';
import { StaffHeadersMiddleware } from './staff-headers.middleware';

/**
 * The staff dashboard, its JSON API and the BullMQ board. Needs the global Config, Database, Crypto,
 * Redis, Clock, Content and Callbacks modules; imports the outbound queue for the status SMS and the
 * recording library for the translators' pages. The
 * outcomes repository and the status SMS are the callback module's (src/callbacks/), provided here
 * because the status SMS needs the outbound queue, which the callback module does not import.
 */
@Module({
  imports: [ContactsModule, OutboundModule, RecordingsModule, StaffCallLineModule, InsightsModule],
  controllers: [StaffAuthController, StaffAccountController, StaffQueueController, StaffSupervisionController, StaffAdminController, StaffRecordingsController, StaffApiController, StaffCallController, StaffCallApiController, InsightsController],
  providers: [
    { provide: PasswordHasher, useValue: new PasswordHasher() },
    StaffUsersRepository,
    StaffSessionsRepository,
    StaffSecondFactorRepository,
    StaffSecondFactorService,
    AuditLogRepository,
    LoginLimiter,
    StaffAuthService,
    StaffCsrf,
    StaffGuard,
    CallbackOutcomesRepository,
    StatusSms,
    StaffQueueService,
    StaffRequestsService,
    StaffStatsService,
    StaffAccountsService,
    // calls through Sira: her number dialled by the voice provider, never shown (src/channels/voice/staff-call.port.ts)
    StaffPhoneRepository,
    StaffCallsRepository,
    StaffCallsService,
    StaffCallBridgeService,
    StaffCallErasure,
    FirstAdminBootstrap,
    BullBoardMount,
  ],
  // the guard and its CSRF/session parts: other modules' staff routes (src/broadcasts) pass the same gate
  exports: [StaffUsersRepository, AuditLogRepository, StaffGuard, StaffCsrf, StaffSessionsRepository],
})
export class StaffModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(cookieParser(), StaffHeadersMiddleware).forRoutes('staff', 'staff/*path');
  }
}
