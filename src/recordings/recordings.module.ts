import { Module } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.module';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { AudioController } from './audio.controller';
import { RecordingsRepository } from './recordings.repository';
import { RecordingsService } from './recordings.service';

/** Recorded prompts: the library (staff pages, voice and voice messages use it) and the audio route. */
@Module({
  controllers: [AudioController],
  providers: [
    { provide: RecordingsRepository, inject: [DATABASE], useFactory: (db: Database) => new RecordingsRepository(db) },
    {
      provide: RecordingsService,
      inject: [RecordingsRepository, CONTENT, CONFIG, CLOCK],
      useFactory: (repository: RecordingsRepository, content: LoadedContent, config: Config, clock: Clock) =>
        new RecordingsService(repository, content, { maxSeconds: config.recordings.maxSeconds, minStatus: config.content.minStatus }, () => new Date(clock.now())),
    },
  ],
  exports: [RecordingsService, RecordingsRepository],
})
export class RecordingsModule {}
