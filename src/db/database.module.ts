import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { DatabaseHandle, openDatabase } from './open-database';

/** Injection token of the drizzle `Database` (same type on PGlite and on a server). */
export const DATABASE = Symbol('DATABASE');
/** Injection token of the `DatabaseHandle` (`ping()` for readiness, `kind`). */
export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

/** Closes the pool or PGlite once the application shuts down (after in-flight work has finished). */
@Injectable()
export class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DATABASE_HANDLE) private readonly handle: DatabaseHandle) {}

  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}

/** Opens the database (and runs migrations) at boot; global so repositories just inject DATABASE. */
@Global()
@Module({
  providers: [
    { provide: DATABASE_HANDLE, inject: [CONFIG], useFactory: (config: Config) => openDatabase(config) },
    { provide: DATABASE, inject: [DATABASE_HANDLE], useFactory: (handle: DatabaseHandle) => handle.db },
    DatabaseLifecycle,
  ],
  exports: [DATABASE, DATABASE_HANDLE],
})
export class DatabaseModule {}
