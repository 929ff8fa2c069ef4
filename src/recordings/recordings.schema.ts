import { sql } from 'drizzle-orm';
import { check, customType, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ReviewLevel } from '../content/review-status';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** PostgreSQL `bytea` as a Node Buffer (both pg and PGlite hand back bytes). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Audio as every web process serves it, addressed by the SHA-256 of its bytes: the URL
 * `/audio/<sha256>.<mp3|ogg>` never changes meaning, so it can be cached for a year. A few MB per
 * language and format; a file no recording points to any more is deleted with it.
 *
 * A listen-mode voice message that says several recordings in a row (a menu's question, then each
 * choice's label and its "press N" clip: src/recordings/listen-prompts.ts) is joined once and kept here
 * too, addressed instead by the SHA-256 of its parts (`joinedVoiceKey`): the same parts always name the
 * same file, made once. It is deleted as soon as one of its parts is.
 */
export const audioFiles = pgTable('audio_files', {
  sha256: text('sha256').primaryKey(),
  contentType: text('content_type').notNull(),
  bytes: bytea('bytes').notNull(),
  durationMs: integer('duration_ms').notNull(),
  /** a joined voice message: the SHA-256s of its parts, in order, space-separated; null for a recording's own file. */
  joinedFrom: text('joined_from'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * One recording of one text (language + key, e.g. `bm` + `menu:prompt`), made by a translator, never
 * by a woman who uses Sira. `text` is exactly what was read aloud: when the key's text changes the
 * recording is stale (compared at read time, never stored). Status uses the texts' levels and gate.
 */
export const recordings = pgTable(
  'recordings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    language: text('language').notNull(),
    /** `namespace:dotted.path`, as i18next looks it up. */
    key: text('key').notNull(),
    /** SHA-256 of the file as imported or uploaded: the same file again changes nothing. */
    sourceSha256: text('source_sha256').notNull(),
    /** MP3, mono, loudness-normalised: what a phone call plays. */
    phoneSha256: text('phone_sha256')
      .notNull()
      .references(() => audioFiles.sha256),
    /** OGG/Opus, mono 48 kHz: what a Telegram or WhatsApp voice message carries. */
    voiceSha256: text('voice_sha256')
      .notNull()
      .references(() => audioFiles.sha256),
    durationMs: integer('duration_ms').notNull(),
    text: text('text').notNull(),
    recordedBy: text('recorded_by').notNull(),
    status: text('status').$type<ReviewLevel>().notNull().default('draft'),
    reviewedBy: text('reviewed_by'),
    reviewedOn: text('reviewed_on'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('recordings_language_key').on(t.language, t.key),
    index('recordings_phone_sha256').on(t.phoneSha256),
    index('recordings_voice_sha256').on(t.voiceSha256),
    check('recordings_status_check', sql`${t.status} in ('draft', 'reviewed', 'legal')`),
  ],
);

export type RecordingRow = typeof recordings.$inferSelect;
