import type { Config } from '../config/config';
import { loadContent } from '../content/content.loader';
import { openDatabase, type DatabaseHandle } from '../db/open-database';
import { RecordingsRepository } from './recordings.repository';
import { RecordingsService } from './recordings.service';

export interface OpenLibrary {
  service: RecordingsService;
  repository: RecordingsRepository;
  handle: DatabaseHandle;
}

/**
 * The library outside the service (the audio CLIs): the configured database, migrated, and today's
 * content. With the embedded database, the running service owns DATA_DIR and this refuses (stop it first).
 */
export async function openLibrary(config: Config): Promise<OpenLibrary> {
  const content = loadContent(config.content);
  if (content.problems.length > 0) throw new Error(`content has problems (run npm run flows:check):\n  ${content.problems.map((p) => p.message).join('\n  ')}`);
  const handle = await openDatabase(config);
  const repository = new RecordingsRepository(handle.db);
  const service = new RecordingsService(repository, content, { maxSeconds: config.recordings.maxSeconds, minStatus: config.content.minStatus });
  return { service, repository, handle };
}
