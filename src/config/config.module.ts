import { DynamicModule, Global, Module } from '@nestjs/common';
import { Config, loadConfig } from './config';

/** Injection token of the validated `Config`. */
export const CONFIG = Symbol('CONFIG');

@Global()
@Module({})
export class ConfigModule {
  /** `config` lets tests pass their own object; otherwise the environment is validated once. */
  static forRoot(config?: Config): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: CONFIG, useValue: config ?? loadConfig() }],
      exports: [CONFIG],
    };
  }
}
