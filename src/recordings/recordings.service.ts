/**
 * The recording library as the CLIs and the staff pages use it: store a take for a key (checked,
 * normalised, converted), list a language against today's texts, review, and find what may be played.
 * Plain class (no Nest) so `audio:import` runs it against the same database without the service.
 */
import type { LoadedContent } from '../content/content.types';
import { levelRank, type ReviewLevel } from '../content/review-status';
import { joinVoiceRecordings, sha256, transcodeRecording } from './audio-transcoder';
import { joinedVoiceKey, voiceSha } from './listen-prompts';
import { isRecordable } from './essential-keys';
import { currentText, isPlayable, languageRecordings, type KeyRecording } from './recording-library';
import type { RecordingsRepository } from './recordings.repository';

export class RecordingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingInputError';
  }
}

export type StoreOutcome = 'added' | 'replaced' | 'unchanged';

export interface RecordingsSettings {
  maxSeconds: number;
  minStatus: ReviewLevel;
}

/** Where a playable recording is served: `/audio/<sha256>.mp3` (phone) and `.ogg` (voice messages). */
export interface PlayableAudio {
  phonePath: string;
  voicePath: string;
  durationMs: number;
}

export function audioPath(sha: string, format: 'mp3' | 'ogg'): string {
  return `/audio/${sha}.${format}`;
}

/** How long the playable catalogue is kept in memory: a review or a new take is heard within this. */
const CATALOGUE_TTL_MS = 10_000;

export class RecordingsService {
  private catalogue?: { at: number; playable: Promise<Map<string, PlayableAudio>> };
  /** joins being made in this process, by key: two replies needing the same one wait for one ffmpeg run. */
  private readonly joining = new Map<string, Promise<string>>();

  constructor(
    private readonly repository: RecordingsRepository,
    private readonly content: Pick<LoadedContent, 'resources' | 'base' | 'languages'>,
    private readonly settings: RecordingsSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  languages(): string[] {
    return this.content.languages.map((l) => l.code);
  }

  /** Refuses an unknown language or key, then audio that is not audio, silent or too long (AudioRefused). */
  async store(language: string, key: string, bytes: Buffer, recordedBy: string): Promise<StoreOutcome> {
    const text = this.textToRecord(language, key);
    if (await this.repository.holds(language, key, sha256(bytes))) return 'unchanged';
    const audio = await transcodeRecording(bytes, this.settings.maxSeconds);
    const outcome = await this.repository.save({ language, key, text, recordedBy, audio }, this.now());
    this.catalogue = undefined; // the new take counts at once in this process (in others within CATALOGUE_TTL_MS)
    return outcome;
  }

  /** The text a take of `key` in `language` says today (refused when it cannot be recorded). */
  textToRecord(language: string, key: string): string {
    if (!this.languages().includes(language)) throw new RecordingInputError(`unknown language "${language}" (locales/languages.json)`);
    const baseText = currentText(this.content, this.content.base, key);
    if (baseText === undefined) throw new RecordingInputError(`unknown text key "${key}"`);
    const text = currentText(this.content, language, key);
    if (text === undefined) throw new RecordingInputError(`"${key}" has no ${language} text yet: it is translated (and reviewed) before it is recorded`);
    if (!isRecordable(key, baseText)) {
      throw new RecordingInputError(`"${key}" is not recorded whole (a typed word, a staff notice, or a text with a variable part)`);
    }
    return text;
  }

  async library(language: string): Promise<KeyRecording[]> {
    return languageRecordings(this.content, language, await this.repository.list(language));
  }

  /** Raises (or lowers) a recording's status; the reviewer names themselves. Stale takes cannot be approved. */
  async review(language: string, key: string, status: ReviewLevel, reviewer: string): Promise<void> {
    const entry = (await this.library(language)).find((e) => e.key === key);
    if (!entry?.recording) throw new RecordingInputError(`no recording of "${key}" in ${language}`);
    if (entry.state === 'stale' && status !== 'draft') throw new RecordingInputError(`"${key}" is stale: its text changed, record it again`);
    if (levelRank(status) > 0 && !reviewer.trim()) throw new RecordingInputError('a reviewer names themselves');
    const on = levelRank(status) > 0 ? this.now().toISOString().slice(0, 10) : null;
    await this.repository.setStatus(language, key, status, levelRank(status) > 0 ? reviewer.trim() : null, on);
    this.catalogue = undefined;
  }

  /**
   * Every playable recording, by `language|key`, from one query kept for a few seconds: a phone turn looks
   * up a dozen keys and must answer far inside the provider's timeout.
   */
  async playableCatalogue(): Promise<Map<string, PlayableAudio>> {
    const now = this.now().getTime();
    if (!this.catalogue || now - this.catalogue.at > CATALOGUE_TTL_MS) {
      const playable = this.loadCatalogue();
      this.catalogue = { at: now, playable };
      playable.catch(() => (this.catalogue = undefined));
    }
    return this.catalogue.playable;
  }

  private async loadCatalogue(): Promise<Map<string, PlayableAudio>> {
    const stored = await this.repository.list();
    const out = new Map<string, PlayableAudio>();
    for (const language of this.languages()) {
      for (const entry of languageRecordings(this.content, language, stored)) {
        if (entry.recording && isPlayable(entry, this.settings.minStatus)) {
          out.set(`${language}|${entry.key}`, { phonePath: audioPath(entry.recording.phoneSha256, 'mp3'), voicePath: audioPath(entry.recording.voiceSha256, 'ogg'), durationMs: entry.recording.durationMs });
        }
      }
    }
    return out;
  }

  /**
   * One voice message saying these recordings in order (a group of listen-prompts.ts): a single one is its
   * own file; several are joined once by ffmpeg and kept in audio_files under the hash of their parts,
   * found there the next time. Rejects when a part is gone or ffmpeg fails (the caller then sends the parts).
   */
  async voiceMessage(parts: readonly PlayableAudio[]): Promise<string> {
    if (parts.length === 1) return parts[0]!.voicePath;
    const shas = parts.map((p) => voiceSha(p.voicePath));
    if (parts.length === 0 || shas.some((sha) => !sha)) throw new RecordingInputError('nothing to join');
    const key = joinedVoiceKey(shas as string[]);
    const made = this.joining.get(key) ?? this.join(key, shas as string[]).finally(() => this.joining.delete(key));
    this.joining.set(key, made);
    return made;
  }

  private async join(key: string, shas: string[]): Promise<string> {
    if (await this.repository.hasAudio(key)) return audioPath(key, 'ogg');
    const bytes = await Promise.all(shas.map((sha) => this.repository.audioBytes(sha)));
    if (bytes.some((b) => !b)) throw new RecordingInputError('a recording to join is gone');
    const joined = await joinVoiceRecordings(bytes as Buffer[]);
    await this.repository.saveJoined(key, shas, joined);
    return audioPath(key, 'ogg');
  }

  /** The audio of `key` in `language` if it says today's text at the gate status; otherwise nothing. */
  async playable(language: string, key: string): Promise<PlayableAudio | undefined> {
    const entry = (await this.library(language)).find((e) => e.key === key);
    if (!entry?.recording || !isPlayable(entry, this.settings.minStatus)) return undefined;
    return { phonePath: audioPath(entry.recording.phoneSha256, 'mp3'), voicePath: audioPath(entry.recording.voiceSha256, 'ogg'), durationMs: entry.recording.durationMs };
  }
}
