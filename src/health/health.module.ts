import { Inject, Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CloseWhileDraining, DrainingState } from './draining';
import { HealthController } from './health.controller';
import { DependencyHealth } from './health.indicators';
import { SmsGatewayIndicator } from './sms-gateway.indicator';

/** Needs the global RedisModule and DatabaseModule. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [DependencyHealth, SmsGatewayIndicator, DrainingState, { provide: CloseWhileDraining, inject: [DrainingState], useFactory: (s: DrainingState) => new CloseWhileDraining(s) }],
})
export class HealthModule implements NestModule {
  constructor(@Inject(CloseWhileDraining) private readonly closer: CloseWhileDraining) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply((req: never, res: never, next: () => void) => this.closer.use(req, res, next)).forRoutes('*');
  }
}
