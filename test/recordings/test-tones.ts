import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Test audio made by ffmpeg on the spot (never shipped, never played to anyone): a sine tone, digital
 * silence, or bytes that are not sound at all.
 */
export async function writeTone(path: string, options: { seconds?: number; hz?: number; codec?: string[] } = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const { seconds = 2, hz = 440, codec = [] } = options;
  await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${seconds}`, '-ac', '1', ...codec, path]);
}

export async function writeSilence(path: string, seconds = 2): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(seconds), path]);
}

export function writeNotAudio(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, 'Ceci est un texte, pas un son.\n');
}
