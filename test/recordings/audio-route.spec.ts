import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { AudioController } from '../../src/recordings/audio.controller';
import { RecordingsRepository } from '../../src/recordings/recordings.repository';
import { transcodeRecording } from '../../src/recordings/audio-transcoder';
import { openTestDatabase, type TestDatabase } from '../db/test-databases';
import { writeTone } from './test-tones';

describe('GET /audio/<sha256>.<mp3|ogg>', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let base: string;
  let phone: string;
  let voice: string;

  beforeAll(async () => {
    database = await openTestDatabase('postgres', 'audio_route');
    const repository = new RecordingsRepository(database.handle.db);
    const dir = mkdtempSync(join(tmpdir(), 'sira-audio-route-'));
    await writeTone(join(dir, 'tone.wav'));
    const audio = await transcodeRecording(readFileSync(join(dir, 'tone.wav')), 60);
    rmSync(dir, { recursive: true, force: true });
    await repository.save({ language: 'fr', key: 'menu:prompt', text: 'Menu Sira.', recordedBy: 'Test', audio }, new Date());
    [phone, voice] = [audio.phone.sha256, audio.voice.sha256];
    const moduleRef = await Test.createTestingModule({ controllers: [AudioController], providers: [{ provide: RecordingsRepository, useValue: repository }] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('serves the phone MP3 and the voice OGG with their type, a hash ETag and a year of cache', async () => {
    const mp3 = await fetch(`${base}/audio/${phone}.mp3`);
    expect(mp3.status).toBe(200);
    expect(mp3.headers.get('content-type')).toBe('audio/mpeg');
    expect(mp3.headers.get('etag')).toBe(`"${phone}"`);
    expect(mp3.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await mp3.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    const ogg = await fetch(`${base}/audio/${voice}.ogg`);
    expect(ogg.headers.get('content-type')).toBe('audio/ogg');
    expect(Buffer.from(await ogg.arrayBuffer()).subarray(0, 4).toString()).toBe('OggS');
  });

  it('answers 304 without a body when the browser already has the file', async () => {
    const res = await fetch(`${base}/audio/${phone}.mp3`, { headers: { 'If-None-Match': `"${phone}"` } });
    expect(res.status).toBe(304);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 404 for an unknown hash, a wrong format and a path that is not a hash', async () => {
    for (const path of [`${'0'.repeat(64)}.mp3`, `${phone}.ogg`, 'menu-prompt.mp3', `${phone}.wav`]) {
      const res = await fetch(`${base}/audio/${path}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/at .*\.ts|stack/i);
    }
  });
});
