export { DATABASE, DATABASE_HANDLE, DatabaseModule } from './database.module';
export { findMigrationsFolder, openDatabase } from './open-database';
export type { Database, DatabaseHandle, OpenDatabaseOptions, Schema } from './open-database';
