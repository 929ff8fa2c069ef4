/**
 * Checks and converts a translator's recording with Debian's ffmpeg/ffprobe (installed by `.ci/run`,
 * never an npm package that downloads a binary). Input arrives as bytes; the work happens on files in
 * a private temporary folder removed afterwards. Refusals say why in words a translator understands.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Loudest sample at or below this is a silent file (a recorder left on mute, an empty take). */
const SILENCE_DB = -50;
/** EBU R128 target for speech heard on phone speakers: -16 LUFS integrated, -1.5 dBTP ceiling. */
const LOUDNORM = 'loudnorm=I=-16:TP=-1.5:LRA=11';
const TOOL_TIMEOUT_MS = 60_000;
/** Same input, same bytes out: no encoder version or date in the file. */
const BITEXACT = ['-fflags', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1'];
/** OGG/Opus mono 48 kHz at 32 kb/s for speech: Telegram voice and WhatsApp voice messages. */
const VOICE_CODEC = ['-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-f', 'ogg'];
/** The pause between two joined recordings, so a label and the next one do not run together. */
const JOIN_PAUSE_S = 0.35;

export class AudioRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AudioRefused';
  }
}

export interface EncodedAudio {
  sha256: string;
  contentType: string;
  bytes: Buffer;
}

export interface TranscodedRecording {
  sourceSha256: string;
  durationMs: number;
  /** MP3 mono 22.05 kHz: Twilio `<Play>` and any phone gateway. */
  phone: EncodedAudio;
  /** OGG/Opus mono 48 kHz: Telegram `sendVoice`, WhatsApp audio. */
  voice: EncodedAudio;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Refuses what is not audio, silent or longer than `maxSeconds`; otherwise returns both formats. */
export async function transcodeRecording(source: Buffer, maxSeconds: number): Promise<TranscodedRecording> {
  const dir = await mkdtemp(join(tmpdir(), 'sira-audio-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, source);
    const durationMs = await probeDuration(input);
    if (durationMs > maxSeconds * 1000) {
      throw new AudioRefused(`too long: ${Math.round(durationMs / 1000)} s, at most ${maxSeconds} s (AUDIO_MAX_SECONDS)`);
    }
    if ((await maxVolumeDb(input)) <= SILENCE_DB) throw new AudioRefused('silent: nothing can be heard in it');
    const phone = await encode(input, join(dir, 'phone.mp3'), ['-ar', '22050', '-c:a', 'libmp3lame', '-b:a', '48k', '-f', 'mp3'], 'audio/mpeg');
    const voice = await encode(input, join(dir, 'voice.ogg'), VOICE_CODEC, 'audio/ogg');
    return { sourceSha256: sha256(source), durationMs, phone, voice };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Several voice-message recordings (OGG/Opus, already checked and loudness-normalised) said one after the
 * other with a short pause between them, as one OGG/Opus voice message: a listen-mode reply that asks a
 * question and names its choices (src/recordings/listen-prompts.ts). Same parts, same bytes.
 */
export async function joinVoiceRecordings(parts: readonly Buffer[]): Promise<{ bytes: Buffer; durationMs: number }> {
  if (parts.length < 2) throw new Error('joining needs at least two recordings');
  const dir = await mkdtemp(join(tmpdir(), 'sira-join-'));
  try {
    const inputs: string[] = [];
    for (const [i, part] of parts.entries()) {
      const file = join(dir, `part${i}.ogg`);
      await writeFile(file, part);
      inputs.push('-i', file);
    }
    const padded = parts.map((_, i) => (i < parts.length - 1 ? `[${i}:a]apad=pad_dur=${JOIN_PAUSE_S}[p${i}]` : `[${i}:a]anull[p${i}]`));
    const filter = `${padded.join(';')};${parts.map((_, i) => `[p${i}]`).join('')}concat=n=${parts.length}:v=0:a=1[out]`;
    const output = join(dir, 'joined.ogg');
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...inputs, '-filter_complex', filter, '-map', '[out]', '-ac', '1', ...VOICE_CODEC, ...BITEXACT, output], { timeout: TOOL_TIMEOUT_MS });
    return { bytes: await readFile(output), durationMs: await probeDuration(output) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Duration of the first audio stream; no audio stream (an image, a text, a broken file) is refused. */
async function probeDuration(file: string): Promise<number> {
  let out: string;
  try {
    ({ stdout: out } = await run('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_type,duration:format=duration', '-of', 'json', file], { timeout: TOOL_TIMEOUT_MS }));
  } catch {
    throw new AudioRefused('not audio: the file could not be read as sound');
  }
  const probe = JSON.parse(out) as { streams?: { codec_type?: string; duration?: string }[]; format?: { duration?: string } };
  const stream = probe.streams?.find((s) => s.codec_type === 'audio');
  if (!stream) throw new AudioRefused('not audio: the file has no sound in it');
  const seconds = Number(stream.duration ?? probe.format?.duration);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new AudioRefused('not audio: the file has no length');
  return Math.round(seconds * 1000);
}

async function maxVolumeDb(file: string): Promise<number> {
  const { stderr } = await run('ffmpeg', ['-nostdin', '-hide_banner', '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-'], { timeout: TOOL_TIMEOUT_MS });
  const match = /max_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match || match[1] === '-inf') return -Infinity;
  return Number(match[1]);
}

async function encode(input: string, output: string, codec: string[], contentType: string): Promise<EncodedAudio> {
  try {
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-vn', '-af', LOUDNORM, '-ac', '1', ...codec, ...BITEXACT, output], { timeout: TOOL_TIMEOUT_MS });
  } catch {
    throw new AudioRefused('not audio: the sound could not be converted');
  }
  const bytes = await readFile(output);
  return { sha256: sha256(bytes), contentType, bytes };
}
