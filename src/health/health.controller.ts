import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { DependencyHealth } from './health.indicators';
import { SmsGatewayIndicator } from './sms-gateway.indicator';

/**
 * `/health/live`: the process runs (restart it if this fails). `/health/ready`: Redis and the database
 * answer (send it traffic only then); 503 with the dependency that is down otherwise. `/health` = ready.
 * Ready also reports the SMS spool depth (messages waiting for the database), which never fails it.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(DependencyHealth) private readonly dependencies: DependencyHealth,
    @Inject(SmsGatewayIndicator) private readonly relay: SmsGatewayIndicator,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @HealthCheck()
  overall() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.dependencies.redisReady(),
      () => this.dependencies.databaseReady(),
      () => this.dependencies.spoolDepth(),
      ...this.relay.checks(),
    ]);
  }
}
