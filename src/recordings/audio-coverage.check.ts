/**
 * The audio part of `flows:check`: recorded / stale / missing keys and minutes per language, and, in
 * production, a problem for each VOICE_LANGUAGES language whose essential keys cannot all be played at
 * CONTENT_MIN_STATUS. Reads the database without changing it (no migration); when it cannot be read —
 * no embedded database yet, the service holding it, a server that does not answer — it says so, and that
 * is a problem only in production with voice languages declared.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config';
import type { LoadedContent } from '../content/content.types';
import { openDatabase } from '../db/open-database';
import { essentialKeys } from './essential-keys';
import { audioCoverage, coverageReport, currentText, languageRecordings, missingEssentials, untranslatedKeys, type StoredRecording } from './recording-library';
import { RecordingsRepository } from './recordings.repository';

export interface AudioCheck {
  report: string;
  problems: string[];
}

const READ_TIMEOUT_MS = 5000;

/** The stored recordings, or why they could not be read. */
async function readRecordings(config: Config): Promise<StoredRecording[] | string> {
  if (!config.database.url && !existsSync(join(config.database.dataDir, 'pglite'))) return [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('the database did not answer'), READ_TIMEOUT_MS)));
  const read = (async () => {
    const handle = await openDatabase(config, { migrate: false });
    try {
      return await new RecordingsRepository(handle.db).list();
    } finally {
      await handle.close();
    }
  })().catch((error: Error) => `the database could not be read (${error.name === 'DataDirLockedError' ? 'the service is running on DATA_DIR' : 'not reachable or not migrated'})`);
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function audioCoverageCheck(config: Config, content: LoadedContent): Promise<AudioCheck> {
  const stored = await readRecordings(config);
  const voice = config.recordings.voiceLanguages;
  const gate = config.production && voice.length > 0;
  if (typeof stored === 'string') {
    const problems = gate ? [`audio: ${stored}; VOICE_LANGUAGES (${voice.join(', ')}) cannot be checked`] : [];
    return { report: `audio recordings: not checked, ${stored}`, problems };
  }
  const min = config.content.minStatus;
  const problems: string[] = [];
  const rows = content.languages.map(({ code }) => {
    const entries = languageRecordings(content, code, stored);
    if (gate && voice.includes(code)) {
      const heard = { base: content.base, has: (lng: string, key: string) => currentText(content, lng, key) !== undefined };
      const missing = missingEssentials(entries, essentialKeys(code, heard), min);
      if (missing.length > 0) problems.push(`audio: ${code} is offered by voice (VOICE_LANGUAGES) but ${missing.length} essential recording${missing.length === 1 ? ' is' : 's are'} missing, stale or below "${min}": ${missing.join(', ')}`);
    }
    return audioCoverage(code, entries, min, untranslatedKeys(content, code).length);
  });
  for (const code of voice) {
    if (!content.languages.some((l) => l.code === code)) problems.push(`audio: VOICE_LANGUAGES names "${code}", which is not in locales/languages.json`);
  }
  return { report: coverageReport(rows, min), problems };
}
