import { Global, Module } from '@nestjs/common';
import { CLOCK, systemClock } from './clock';

/** Provides the system clock under `CLOCK` everywhere; tests override the provider. */
@Global()
@Module({ providers: [{ provide: CLOCK, useValue: systemClock }], exports: [CLOCK] })
export class ClockModule {}
