/**
 * The recordings of one language set against the current texts: which keys are recorded, stale (their
 * text changed since) or missing, and which may be played at the review gate. Pure: tested with data.
 */
import type { LocaleResources } from '../content/content.types';
import { localeStrings } from '../content/locale-keys';
import { levelRank, type ReviewLevel } from '../content/review-status';
import { isRecordable } from './essential-keys';

/** What the library needs of a stored recording (a row of `recordings`). */
export interface StoredRecording {
  language: string;
  key: string;
  text: string;
  status: ReviewLevel;
  durationMs: number;
  phoneSha256: string;
  voiceSha256: string;
  recordedBy: string;
  reviewedBy: string | null;
  reviewedOn: string | null;
  updatedAt: Date;
}

export type RecordingState = 'recorded' | 'stale' | 'missing';

export interface KeyRecording {
  key: string;
  /** the French text (what every translator can read). */
  baseText: string;
  /** the language's own text: what the recording says. */
  text: string;
  state: RecordingState;
  recording?: StoredRecording;
}

export interface TextSource {
  resources: LocaleResources;
  base: string;
}

/**
 * The text a recording in `language` says: the language's own text, never a spoken rendering of the
 * French one (that would be a translation nobody wrote down or reviewed). Untranslated: nothing to record.
 */
export function currentText(content: TextSource, language: string, key: string): string | undefined {
  return localeStrings(content.resources, language).get(key);
}

/** Recordable keys the base language has but `language` does not translate yet (translate them first). */
export function untranslatedKeys(content: TextSource, language: string): string[] {
  const own = localeStrings(content.resources, language);
  return [...localeStrings(content.resources, content.base)].filter(([key, text]) => isRecordable(key, text) && !own.has(key)).map(([key]) => key).sort();
}

/** Every recordable key `language` has a text for, in key order, with its recording if any. */
export function languageRecordings(content: TextSource, language: string, stored: StoredRecording[]): KeyRecording[] {
  const own = localeStrings(content.resources, language);
  const byKey = new Map(stored.filter((r) => r.language === language).map((r) => [r.key, r]));
  const out: KeyRecording[] = [];
  for (const [key, baseText] of [...localeStrings(content.resources, content.base)].sort(([a], [b]) => a.localeCompare(b))) {
    const text = own.get(key);
    if (text === undefined || !isRecordable(key, baseText)) continue;
    const recording = byKey.get(key);
    const state: RecordingState = !recording ? 'missing' : recording.text === text ? 'recorded' : 'stale';
    out.push({ key, baseText, text, state, ...(recording ? { recording } : {}) });
  }
  return out;
}

/** A recording may be played when it says today's text and its status reaches the gate. */
export function isPlayable(entry: KeyRecording, minStatus: ReviewLevel): boolean {
  return entry.state === 'recorded' && !!entry.recording && levelRank(entry.recording.status) >= levelRank(minStatus);
}

export interface AudioCoverage {
  language: string;
  recorded: number;
  stale: number;
  missing: number;
  /** recorded keys at or above the gate, not stale. */
  playable: number;
  /** keys the language translates (what can be recorded). */
  total: number;
  /** keys it does not translate yet: they cannot be recorded in it. */
  untranslated: number;
  /** minutes of audio stored for the language (stale included: it is still there). */
  minutes: number;
}

export function audioCoverage(language: string, entries: KeyRecording[], minStatus: ReviewLevel, untranslated = 0): AudioCoverage {
  const count = (state: RecordingState) => entries.filter((e) => e.state === state).length;
  const ms = entries.reduce((sum, e) => sum + (e.recording?.durationMs ?? 0), 0);
  return {
    language,
    recorded: count('recorded'),
    stale: count('stale'),
    missing: count('missing'),
    playable: entries.filter((e) => isPlayable(e, minStatus)).length,
    total: entries.length,
    untranslated,
    minutes: Math.round(ms / 600) / 100,
  };
}

/** What still needs recording: stale first (oldest recording first), then missing keys in key order. */
export function toRecord(entries: KeyRecording[]): KeyRecording[] {
  const stale = entries.filter((e) => e.state === 'stale').sort((a, b) => a.recording!.updatedAt.getTime() - b.recording!.updatedAt.getTime());
  return [...stale, ...entries.filter((e) => e.state === 'missing')];
}

/** Essential keys of `language` that cannot be played at the gate (empty: it may be offered by voice). */
export function missingEssentials(entries: KeyRecording[], essentials: string[], minStatus: ReviewLevel): string[] {
  const byKey = new Map(entries.map((e) => [e.key, e]));
  return essentials.filter((key) => {
    const entry = byKey.get(key);
    return !entry || !isPlayable(entry, minStatus);
  });
}

/** `flows:check` table: one line per language. */
export function coverageReport(rows: AudioCoverage[], minStatus: ReviewLevel): string {
  const lines = [`audio recordings   recorded  stale  missing  playable  minutes  untranslated   (playable: not stale, at least "${minStatus}")`];
  for (const r of rows) {
    lines.push(
      `${r.language.padEnd(18)}${`${r.recorded}/${r.total}`.padStart(9)}${String(r.stale).padStart(7)}${String(r.missing).padStart(9)}${String(r.playable).padStart(10)}${r.minutes.toFixed(1).padStart(9)}${String(r.untranslated).padStart(14)}`,
    );
  }
  return lines.join('\n');
}
