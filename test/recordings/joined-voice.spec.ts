import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { loadContent } from '../../src/content/content.loader';
import { joinedVoiceKey, listenPrompts, voiceSha } from '../../src/recordings/listen-prompts';
import { RecordingsRepository } from '../../src/recordings/recordings.repository';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { openTestDatabase, type TestDatabase } from '../db/test-databases';
import { writeTone } from './test-tones';

jest.setTimeout(60_000);

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });

/** The length of an audio file, as ffprobe reads it. */
async function durationMs(bytes: Buffer): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sira-probe-'));
  try {
    writeFileSync(join(dir, 'a.ogg'), bytes);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', join(dir, 'a.ogg')]);
    const probe = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_name: string }[] };
    expect(probe.streams[0]!.codec_name).toBe('opus');
    return Math.round(Number(probe.format.duration) * 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(['pglite', 'postgres'] as const)('a listen-mode menu joined into one voice message (%s)', (kind) => {
  let database: TestDatabase;
  let repository: RecordingsRepository;
  let service: RecordingsService;
  let folder: string;
  const tone = (name: string) => readFileSync(join(folder, `${name}.wav`));
  const menu = { text: 'menu:prompt', question: 1, choices: [{ id: 'help', label: 'menu:help' }] };
  const joinedRows = () => database.handle.rows<{ sha256: string; joined_from: string; duration_ms: number }>(sql`select sha256, joined_from, duration_ms from audio_files where joined_from is not null`);

  beforeAll(async () => {
    database = await openTestDatabase(kind, `joined${kind}`);
    repository = new RecordingsRepository(database.handle.db);
    service = new RecordingsService(repository, content, { maxSeconds: 10, minStatus: 'draft' });
    folder = mkdtempSync(join(tmpdir(), 'sira-joined-'));
    await writeTone(join(folder, 'a.wav'), { seconds: 2, hz: 440 });
    await writeTone(join(folder, 'b.wav'), { seconds: 1, hz: 550 });
    await writeTone(join(folder, 'c.wav'), { seconds: 1, hz: 660 });
    await writeTone(join(folder, 'd.wav'), { seconds: 1, hz: 770 });
    await service.store('en', 'menu:prompt', tone('a'), 'Test (translator)');
    await service.store('en', 'menu:help', tone('b'), 'Test (translator)');
    await service.store('en', 'voice:press.1', tone('c'), 'Test (translator)');
  });

  afterAll(async () => {
    await database?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is made once by ffmpeg from its parts (OGG/Opus, their length and the pauses), kept under the hash of its parts, and found again', async () => {
    const groups = listenPrompts([menu], 'en', await service.playableCatalogue());
    expect(groups).toHaveLength(1);
    const parts = groups[0]!;
    expect(parts).toHaveLength(3);
    const path = await service.voiceMessage(parts);
    const key = joinedVoiceKey(parts.map((p) => voiceSha(p.voicePath)!));
    expect(path).toBe(`/audio/${key}.ogg`);

    const rows = await joinedRows();
    expect(rows).toEqual([{ sha256: key, joined_from: parts.map((p) => voiceSha(p.voicePath)).join(' '), duration_ms: expect.any(Number) }]);
    const audio = (await repository.audio(key))!;
    expect(audio.contentType).toBe('audio/ogg');
    expect(audio.bytes.subarray(0, 4).toString('latin1')).toBe('OggS');
    const sum = parts.reduce((s, p) => s + p.durationMs, 0);
    const measured = await durationMs(audio.bytes);
    expect(measured).toBeGreaterThanOrEqual(sum + 500); // two pauses of 0.35 s between three parts
    expect(measured).toBeLessThanOrEqual(sum + 1000);

    // asked again (another reply, two at once): the same file, nothing made twice
    await expect(Promise.all([service.voiceMessage(parts), service.voiceMessage(parts)])).resolves.toEqual([path, path]);
    expect(await joinedRows()).toHaveLength(1);
  });

  it('a single recording is its own voice message, never joined', async () => {
    const [only] = (await service.playableCatalogue()).values();
    await expect(service.voiceMessage([only!])).resolves.toBe(only!.voicePath);
  });

  it('goes when one of its parts is replaced by a new take (and the other recordings keep their files)', async () => {
    expect(await joinedRows()).toHaveLength(1);
    await service.store('en', 'voice:press.1', tone('d'), 'Test (translator)');
    expect(await joinedRows()).toHaveLength(0);
    const left = await database.handle.rows<{ n: number }>(sql`select count(*)::int as n from audio_files`);
    expect(left[0]!.n).toBe(6); // three recordings, each an MP3 and an OGG
  });

  it('refuses (the caller then sends the parts one by one) when a part is gone', async () => {
    const ghost = { phonePath: '/audio/x.mp3', voicePath: `/audio/${'e'.repeat(64)}.ogg`, durationMs: 1000 };
    const [one] = (await service.playableCatalogue()).values();
    await expect(service.voiceMessage([one!, ghost])).rejects.toThrow(/gone/);
  });
});
