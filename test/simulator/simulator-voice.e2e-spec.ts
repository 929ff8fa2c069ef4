/**
 * The simulator's keypad phone against the whole app: a call goes through the voice channel
 * (VoiceCalls: de-dup, lock, session) with no provider at all, and a recorded prompt exposes its audio.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { writeTone } from '../recordings/test-tones';
import { contentTexts } from '../sms/twilio-test.harness';
import { PUBLIC_BASE_URL, startApp, type TestApp } from '../support/app-harness';

jest.setTimeout(30_000);

interface Reply {
  heard: { text: string; audio?: string; voice?: string }[];
  listen: string;
  next: unknown;
}

async function post(app: TestApp, body: unknown): Promise<{ status: number; reply: Reply }> {
  const res = await fetch(`${app.url}/simulator/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, reply: (await res.json()) as Reply };
}

/** One call of the keypad phone: dial, then keys on the last answer's `next`. */
function phone(app: TestApp, from: string) {
  let next: unknown = null;
  const answer = async (body: unknown) => {
    const { status, reply } = await post(app, body);
    expect(status).toBe(200);
    next = reply.next;
    return reply;
  };
  return { dial: () => answer({ from }), press: (digits: string) => answer({ from, call: next, digits }) };
}

const texts = (r: Reply) => r.heard.map((p) => p.text);

describe('the simulator keypad phone, with no voice provider configured', () => {
  const fr = contentTexts().translator.t('fr');
  let app: TestApp;
  let menuAudio: string;

  beforeAll(async () => {
    app = await startApp({ label: 'simvoice', env: { SIMULATOR_ENABLED: 'true', PUBLIC_BASE_URL } });
    expect(app.config.voice).toBeUndefined();
    // a (draft) test recording of the French main menu, as a translator would upload it
    const dir = mkdtempSync(join(tmpdir(), 'sira-simvoice-'));
    await writeTone(join(dir, 'menu.wav'));
    await app.get<RecordingsService>(RecordingsService).store('fr', 'voice:texts.menu.prompt', readFileSync(join(dir, 'menu.wav')), 'Test (traductrice)');
    rmSync(dir, { recursive: true, force: true });
    menuAudio = (await app.get<RecordingsService>(RecordingsService).playable('fr', 'voice:texts.menu.prompt'))!.phonePath;
  });

  afterAll(async () => {
    await app?.close();
  });

  it('walks the menus key by key; the recorded menu shows its text and its audio URL, which the service serves', async () => {
    const call = phone(app, 'sim-voice-e2e-1');
    const first = await call.dial();
    expect(texts(first)[0]).toBe(fr('voice:keys'));
    expect(texts(first)).toContain(fr('language:prompt'));
    expect(first.listen).toBe('key');

    const menu = await call.press('1');
    expect(menu.heard[0]).toEqual({ text: fr('voice:texts.menu.prompt'), audio: menuAudio });
    expect(menu.heard.slice(1, 3)).toEqual([{ text: fr('menu:reparations'), voice: 'fr-FR' }, { text: 'appuyez sur 1', voice: 'fr-FR' }]);
    const audio = await fetch(`${app.url}${menuAudio}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toMatch(/^audio\/mpeg/);

    const testimony = await call.press('2');
    expect(texts(testimony).join(' ')).toContain(fr('testimony:overview').slice(0, 30));
    const home = await call.press('0');
    expect(home.heard[0]).toEqual({ text: fr('voice:texts.menu.prompt'), audio: menuAudio });
  });

  it('the same request twice is one turn (de-dup on call id + step): the second hears the question again', async () => {
    const call = phone(app, 'sim-voice-e2e-2');
    const first = await call.dial();
    const again = await post(app, { from: 'sim-voice-e2e-2', call: first.next, digits: '1' });
    const twice = await post(app, { from: 'sim-voice-e2e-2', call: first.next, digits: '1' });
    expect(again.reply.heard[0]!.text).toBe(fr('voice:texts.menu.prompt'));
    expect(twice.status).toBe(200);
    expect(twice.reply.heard[0]!.text).toBe(fr('voice:texts.menu.prompt'));
  });

  it('refuses a malformed request with a 400', async () => {
    expect((await post(app, { from: 'sim-voice-e2e-3', digits: '1' })).status).toBe(400);
  });
});
