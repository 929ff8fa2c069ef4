import { and, eq, isNull, notExists, or, sql } from 'drizzle-orm';
import type { Database } from '../db/open-database';
import type { ReviewLevel } from '../content/review-status';
import type { TranscodedRecording } from './audio-transcoder';
import type { StoredRecording } from './recording-library';
import { audioFiles, recordings } from './recordings.schema';

export interface StoredAudio {
  contentType: string;
  bytes: Buffer;
}

export interface NewRecording {
  language: string;
  key: string;
  text: string;
  recordedBy: string;
  audio: TranscodedRecording;
}

const listed = {
  language: recordings.language,
  key: recordings.key,
  text: recordings.text,
  status: recordings.status,
  durationMs: recordings.durationMs,
  phoneSha256: recordings.phoneSha256,
  voiceSha256: recordings.voiceSha256,
  recordedBy: recordings.recordedBy,
  reviewedBy: recordings.reviewedBy,
  reviewedOn: recordings.reviewedOn,
  updatedAt: recordings.updatedAt,
};

/** The recordings and their audio. A plain class: the CLIs use it without Nest. */
export class RecordingsRepository {
  constructor(private readonly db: Database) {}

  async list(language?: string): Promise<StoredRecording[]> {
    const query = this.db.select(listed).from(recordings);
    return language ? query.where(eq(recordings.language, language)) : query;
  }

  /** The key's recording already holds this file (as imported, or as one of its own conversions). */
  async holds(language: string, key: string, sha256: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: recordings.id })
      .from(recordings)
      .where(
        and(
          eq(recordings.language, language),
          eq(recordings.key, key),
          or(eq(recordings.sourceSha256, sha256), eq(recordings.phoneSha256, sha256), eq(recordings.voiceSha256, sha256)),
        ),
      );
    return !!row;
  }

  /**
   * Stores the audio and points the key at it, in one transaction. A new take is a new `draft` (it has not
   * been heard by a reviewer); audio no recording uses any more is deleted.
   */
  async save(entry: NewRecording, now: Date): Promise<'added' | 'replaced'> {
    return this.db.transaction(async (tx) => {
      for (const file of [entry.audio.phone, entry.audio.voice]) {
        await tx
          .insert(audioFiles)
          .values({ sha256: file.sha256, contentType: file.contentType, bytes: file.bytes, durationMs: entry.audio.durationMs })
          .onConflictDoNothing();
      }
      const [before] = await tx
        .select({ id: recordings.id })
        .from(recordings)
        .where(and(eq(recordings.language, entry.language), eq(recordings.key, entry.key)));
      const take = {
        sourceSha256: entry.audio.sourceSha256,
        phoneSha256: entry.audio.phone.sha256,
        voiceSha256: entry.audio.voice.sha256,
        durationMs: entry.audio.durationMs,
        text: entry.text,
        recordedBy: entry.recordedBy,
        status: 'draft' as const,
        reviewedBy: null,
        reviewedOn: null,
        updatedAt: now,
      };
      if (before) await tx.update(recordings).set(take).where(eq(recordings.id, before.id));
      else await tx.insert(recordings).values({ language: entry.language, key: entry.key, ...take, createdAt: now });
      await tx
        .delete(audioFiles)
        .where(
          and(
            isNull(audioFiles.joinedFrom),
            notExists(
              tx.select({ one: sql`1` }).from(recordings).where(or(eq(recordings.phoneSha256, audioFiles.sha256), eq(recordings.voiceSha256, audioFiles.sha256))),
            ),
          ),
        );
      // a joined voice message goes with the first of its parts to go (it would never be asked for again)
      await tx.execute(sql`delete from audio_files j where j.joined_from is not null and exists (
        select 1 from unnest(string_to_array(j.joined_from, ' ')) as part(sha)
        where not exists (select 1 from audio_files a where a.sha256 = part.sha and a.joined_from is null))`);
      return before ? 'replaced' : 'added';
    });
  }

  /** Sets a reviewed level (or back to draft); false when the key has no recording. `updated_at` is the take's. */
  async setStatus(language: string, key: string, status: ReviewLevel, by: string | null, on: string | null): Promise<boolean> {
    const rows = await this.db
      .update(recordings)
      .set({ status, reviewedBy: by, reviewedOn: on })
      .where(and(eq(recordings.language, language), eq(recordings.key, key)))
      .returning({ id: recordings.id });
    return rows.length > 0;
  }

  async audio(sha256: string): Promise<StoredAudio | undefined> {
    const [row] = await this.db
      .select({ contentType: audioFiles.contentType, bytes: audioFiles.bytes })
      .from(audioFiles)
      .where(eq(audioFiles.sha256, sha256));
    return row;
  }

  async audioBytes(sha256: string): Promise<Buffer | undefined> {
    return (await this.audio(sha256))?.bytes;
  }

  async hasAudio(sha256: string): Promise<boolean> {
    const [row] = await this.db.select({ sha256: audioFiles.sha256 }).from(audioFiles).where(eq(audioFiles.sha256, sha256));
    return !!row;
  }

  /**
   * Keeps a joined voice message under `key` (the hash of its parts, listen-prompts.ts); made twice at
   * once, kept once. Should a part be replaced meanwhile, the next take's clean-up (save) drops it.
   */
  async saveJoined(key: string, parts: readonly string[], audio: { bytes: Buffer; durationMs: number }): Promise<void> {
    await this.db
      .insert(audioFiles)
      .values({ sha256: key, contentType: 'audio/ogg', bytes: audio.bytes, durationMs: audio.durationMs, joinedFrom: parts.join(' ') })
      .onConflictDoNothing();
  }
}
