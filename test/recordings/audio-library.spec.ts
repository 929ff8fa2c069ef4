import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { loadContent } from '../../src/content/content.loader';
import type { LoadedContent } from '../../src/content/content.types';
import { exportFolder, importFolder } from '../../src/recordings/audio-folder';
import { audioCoverageCheck } from '../../src/recordings/audio-coverage.check';
import { RecordingsRepository } from '../../src/recordings/recordings.repository';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { loadConfig } from '../../src/config/config';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../db/test-databases';
import { writeNotAudio, writeSilence, writeTone } from './test-tones';
import { compiledCli } from '../support/cli';

const audioImport = (...args: string[]): [string, string[]] => {
  const [node, cli] = compiledCli('audio-import');
  return [node, [...cli, ...args]];
};

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });

/** The same content with one Bambara text rewritten (what a translator's correction does). */
function withBambaraPrompt(text: string): LoadedContent {
  const resources = structuredClone(content.resources);
  (resources.bm.menu as Record<string, unknown>).prompt = text;
  return { ...content, resources };
}

describe('recorded prompts: import, export, staleness and the gate', () => {
  let database: TestDatabase;
  let repository: RecordingsRepository;
  let folder: string;
  const databaseName = async () => (await database.handle.rows<{ name: string }>(sql`select current_database() as name`))[0].name;
  const service = (c: LoadedContent = content, minStatus: 'draft' | 'reviewed' = 'draft') => new RecordingsService(repository, c, { maxSeconds: 5, minStatus });

  beforeAll(async () => {
    database = await openTestDatabase('postgres', 'audio');
    repository = new RecordingsRepository(database.handle.db);
    folder = mkdtempSync(join(tmpdir(), 'sira-recordings-'));
    await writeTone(join(folder, 'bm/menu/prompt.wav'));
    await writeTone(join(folder, 'bm/reparations/menu.prompt.m4a'), { hz: 330, codec: ['-c:a', 'aac'] });
    await writeTone(join(folder, 'fr/menu/help.ogg'), { hz: 550, codec: ['-c:a', 'libopus'] });
  }, 60_000);

  afterAll(async () => {
    await database?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('imports a folder as draft recordings, and the same folder again changes nothing', async () => {
    const first = await importFolder(folder, service(), 'Awa (traductrice)');
    expect(first).toEqual({ added: ['bm/menu/prompt.wav', 'bm/reparations/menu.prompt.m4a', 'fr/menu/help.ogg'], replaced: [], unchanged: [], refused: [] });
    const again = await importFolder(folder, service(), 'Awa (traductrice)');
    expect(again.unchanged).toHaveLength(3);
    expect(again.added).toEqual([]);
    const bm = (await service().library('bm')).find((e) => e.key === 'menu:prompt');
    expect(bm).toMatchObject({ state: 'recorded', recording: { status: 'draft', recordedBy: 'Awa (traductrice)', text: content.resources.bm.menu.prompt } });
    expect(bm!.recording!.durationMs).toBeGreaterThan(1900);
  }, 60_000);

  it('stores a phone MP3 and an Opus voice message for each take, served by their hash', async () => {
    const [row] = (await repository.list('bm')).filter((r) => r.key === 'menu:prompt');
    const phone = await repository.audio(row.phoneSha256);
    const voice = await repository.audio(row.voiceSha256);
    expect(phone?.contentType).toBe('audio/mpeg');
    expect(voice?.contentType).toBe('audio/ogg');
    expect(voice!.bytes.subarray(0, 4).toString()).toBe('OggS');
    expect(voice!.bytes.includes(Buffer.from('OpusHead'))).toBe(true);
  });

  it('refuses, by file name, what is not audio, is silent, too long, or names an unknown language or key', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'sira-recordings-bad-'));
    try {
      writeNotAudio(join(bad, 'bm/menu/help.wav'));
      await writeSilence(join(bad, 'fr/menu/prompt.wav'));
      await writeTone(join(bad, 'fr/menu/callback.mp3'), { seconds: 7 });
      await writeTone(join(bad, 'xx/menu/prompt.wav'));
      await writeTone(join(bad, 'bm/menu/nothing.wav'));
      await writeTone(join(bad, 'ff/reparations/overview.wav'));
      writeNotAudio(join(bad, 'bm/menu/notes.txt'));
      const report = await importFolder(bad, service(), 'Awa');
      expect(report.added).toEqual([]);
      expect(Object.fromEntries(report.refused.map((r) => [r.file, r.reason]))).toEqual({
        'bm/menu/help.wav': expect.stringMatching(/^not audio/),
        'bm/menu/notes.txt': expect.stringMatching(/^not audio: \.txt/),
        'bm/menu/nothing.wav': expect.stringMatching(/unknown text key "menu:nothing"/),
        'ff/reparations/overview.wav': expect.stringMatching(/no ff text yet/),
        'fr/menu/callback.mp3': expect.stringMatching(/^too long: 7 s, at most 5 s/),
        'fr/menu/prompt.wav': expect.stringMatching(/^silent/),
        'xx/menu/prompt.wav': expect.stringMatching(/unknown language "xx"/),
      });
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  }, 60_000);

  it('exports the same layout with a CSV, and importing the export changes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sira-recordings-out-'));
    try {
      const report = await exportFolder(out, service(), repository);
      expect(report.written).toBe(3);
      expect(existsSync(join(out, 'bm/reparations/menu.prompt.mp3'))).toBe(true);
      const rows = parse(readFileSync(join(out, 'recordings.csv')), { columns: true }) as Record<string, string>[];
      expect(rows.find((r) => r.key === 'menu:help')).toMatchObject({ language: 'fr', text: 'Aide', status: 'draft', duration_seconds: '2.0' });
      const back = await importFolder(out, service(), 'Awa');
      expect(back).toMatchObject({ added: [], replaced: [], refused: [] });
      expect(back.unchanged).toHaveLength(3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('plays a recording only once reviewed at the gate, and never once its text changes', async () => {
    expect(await service(content, 'reviewed').playable('bm', 'menu:prompt')).toBeUndefined();
    await service().review('bm', 'menu:prompt', 'reviewed', 'Fanta (relectrice bm)');
    const playable = await service(content, 'reviewed').playable('bm', 'menu:prompt');
    expect(playable?.phonePath).toMatch(/^\/audio\/[0-9a-f]{64}\.mp3$/);
    expect(playable?.voicePath).toMatch(/^\/audio\/[0-9a-f]{64}\.ogg$/);

    const changed = withBambaraPrompt('Sira ka menu kura.');
    expect(await service(changed, 'reviewed').playable('bm', 'menu:prompt')).toBeUndefined();
    const entry = (await service(changed).library('bm')).find((e) => e.key === 'menu:prompt');
    expect(entry?.state).toBe('stale');
    await expect(service(changed).review('bm', 'menu:prompt', 'reviewed', 'Fanta')).rejects.toThrow(/stale/);
  }, 60_000);

  it('a new take replaces the old one as draft and removes the audio nobody uses', async () => {
    const [before] = (await repository.list('bm')).filter((r) => r.key === 'menu:prompt');
    const take = mkdtempSync(join(tmpdir(), 'sira-recordings-take-'));
    try {
      await writeTone(join(take, 'bm/menu/prompt.wav'), { hz: 660 });
      expect((await importFolder(take, service(), 'Awa')).replaced).toEqual(['bm/menu/prompt.wav']);
    } finally {
      rmSync(take, { recursive: true, force: true });
    }
    const [after] = (await repository.list('bm')).filter((r) => r.key === 'menu:prompt');
    expect(after.status).toBe('draft');
    expect(after.reviewedBy).toBeNull();
    expect(await repository.audio(before.phoneSha256)).toBeUndefined();
  }, 60_000);

  it('flows:check counts recordings per language and, in production, fails a voice language without its essentials', async () => {
    const url = `${SERVER_URL}/${await databaseName()}`;
    const config = loadConfig({ DATABASE_URL: url, VOICE_LANGUAGES: 'bm' });
    const check = await audioCoverageCheck(config, content);
    expect(check.report).toMatch(/^bm\s+2\/\d+\s+0\s+\d+\s+2\s/m);
    expect(check.problems).toEqual([]);
    const production = loadConfig({
      NODE_ENV: 'production', DATABASE_URL: url, VOICE_LANGUAGES: 'bm', REDIS_URL: 'redis://127.0.0.1:6379',
      SIRA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`, SIRA_BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
    });
    const gated = await audioCoverageCheck(production, content);
    expect(gated.problems).toEqual([expect.stringMatching(/^audio: bm is offered by voice .* missing, stale or below "reviewed": language:prompt, menu:prompt/)]);
  }, 60_000);

  it('audio:import prints what changed and what it refused, and exits 1 when it refused anything', async () => {
    const name = await databaseName();
    const mixed = mkdtempSync(join(tmpdir(), 'sira-recordings-cli-'));
    try {
      await writeTone(join(mixed, 'en/menu/help.wav'));
      writeNotAudio(join(mixed, 'en/menu/prompt.wav'));
      const result = await run(...audioImport(mixed, '--by', 'Test'), { cwd: ROOT, env: { ...process.env, DATABASE_URL: `${SERVER_URL}/${name}` } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      expect(result).toMatchObject({ code: 1 });
      expect(result.stdout).toMatch(/added\s+en\/menu\/help\.wav/);
      expect(result.stdout).toMatch(/1 added, 0 replaced, 0 unchanged, 1 refused/);
      expect(result.stderr).toMatch(/refused\s+en\/menu\/prompt\.wav: not audio/);
    } finally {
      rmSync(mixed, { recursive: true, force: true });
    }
  }, 60_000);
});
