import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { DependencyHealth } from './health.indicators';
import { SmsGatewayIndicator } from './sms-gateway.indicator';

/** Needs the global RedisModule and DatabaseModule. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DependencyHealth, SmsGatewayIndicator],
})
export class HealthModule {}
