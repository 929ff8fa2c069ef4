/**
 * A folder of recordings in the layout translators use on a phone or a laptop:
 * `<lng>/<namespace>/<key>.<ext>`, e.g. `bm/menu/prompt.wav`, `bm/reparations/menu.prompt.m4a`.
 * `audio:import` reads one, `audio:export` writes one (MP3s and `recordings.csv`).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { AudioRefused } from './audio-transcoder';
import type { RecordingsRepository } from './recordings.repository';
import { RecordingInputError, type RecordingsService, type StoreOutcome } from './recordings.service';

export const AUDIO_EXTENSIONS = ['wav', 'mp3', 'ogg', 'm4a', 'webm', 'amr'] as const;
export const EXPORT_CSV = 'recordings.csv';

export interface ImportReport {
  added: string[];
  replaced: string[];
  unchanged: string[];
  refused: { file: string; reason: string }[];
}

/** `bm/reparations/menu.prompt.wav` → `{ language: 'bm', key: 'reparations:menu.prompt' }`. */
export function keyOfFile(path: string): { language: string; key: string } | string {
  const parts = path.split(sep).join('/').split('/');
  if (parts.length !== 3) return 'not in the <language>/<namespace>/<key>.<ext> layout';
  const [language, namespace, file] = parts;
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot + 1).toLowerCase() : '';
  if (!(AUDIO_EXTENSIONS as readonly string[]).includes(ext)) return `not audio: .${ext || '?'} is not one of ${AUDIO_EXTENSIONS.join(', ')}`;
  return { language, key: `${namespace}:${file.slice(0, dot)}` };
}

async function filesUnder(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(root, path)));
    else if (relative(root, path) !== EXPORT_CSV) out.push(relative(root, path));
  }
  return out.sort();
}

/** Imports every file; a refused file is named with its reason and the rest still goes in. */
export async function importFolder(folder: string, service: RecordingsService, recordedBy: string): Promise<ImportReport> {
  const report: ImportReport = { added: [], replaced: [], unchanged: [], refused: [] };
  for (const file of await filesUnder(folder)) {
    const target = keyOfFile(file);
    if (typeof target === 'string') {
      report.refused.push({ file, reason: target });
      continue;
    }
    try {
      const outcome: StoreOutcome = await service.store(target.language, target.key, await readFile(join(folder, file)), recordedBy);
      report[outcome].push(file);
    } catch (error) {
      if (!(error instanceof AudioRefused || error instanceof RecordingInputError)) throw error;
      report.refused.push({ file, reason: error.message });
    }
  }
  return report;
}

export interface ExportReport {
  written: number;
  csv: string;
}

/** Writes each recording's phone MP3 at its place in the layout, and one CSV line per recording. */
export async function exportFolder(folder: string, service: RecordingsService, repository: RecordingsRepository): Promise<ExportReport> {
  const rows: string[][] = [];
  let written = 0;
  for (const language of service.languages()) {
    for (const entry of await service.library(language)) {
      const recording = entry.recording;
      if (!recording) continue;
      const [namespace, path] = entry.key.split(':');
      const bytes = await repository.audioBytes(recording.phoneSha256);
      if (!bytes) continue;
      const file = join(folder, language, namespace, `${path}.mp3`);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, bytes);
      written++;
      const status = entry.state === 'stale' ? `stale (was ${recording.status})` : recording.status;
      rows.push([language, entry.key, entry.text, status, (recording.durationMs / 1000).toFixed(1), recording.recordedBy, recording.reviewedBy ?? '']);
    }
  }
  const csv = join(folder, EXPORT_CSV);
  await mkdir(folder, { recursive: true });
  await writeFile(csv, stringify([['language', 'key', 'text', 'status', 'duration_seconds', 'recorded_by', 'reviewed_by'], ...rows]));
  return { written, csv };
}
