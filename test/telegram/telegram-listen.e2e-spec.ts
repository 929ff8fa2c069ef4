import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { joinedVoiceKey } from '../../src/recordings/listen-prompts';
import { RecordingsRepository } from '../../src/recordings/recordings.repository';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { writeTone } from '../recordings/test-tones';
import { localeText } from '../support/locale-text';
import { eventually, keyboardOf, openTelegramTestEnv, sleep, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from './telegram-harness';
import { callbackUpdate, randomChatId, startUpdate, textUpdate, voiceUpdate } from './telegram-updates';

jest.setTimeout(60_000);

let env: TelegramTestEnv;
let tg: TelegramTestApp;

beforeAll(async () => {
  env = await openTelegramTestEnv('tglisten');
  tg = await startTelegramApp(env);
  // test recordings, as a translator would upload them (draft: the test gate): the English listen-mode
  // confirmation, and the FRENCH main menu only (an English contact must never hear it)
  const dir = mkdtempSync(join(tmpdir(), 'sira-listen-'));
  await writeTone(join(dir, 'tone.wav'));
  const recordings = tg.app.get(RecordingsService);
  await recordings.store('en', 'voice_messages:on', readFileSync(join(dir, 'tone.wav')), 'Test (translator)');
  await recordings.store('fr', 'menu:prompt', readFileSync(join(dir, 'tone.wav')), 'Test (traductrice)');
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

afterAll(async () => {
  await tg?.close();
  await env?.dispose();
});

/** The chat's sendMessage and sendVoice calls, in the order the fake received them. */
const outgoing = (chat: number) => tg.fake.calls.filter((c) => (c.method === 'sendMessage' || c.method === 'sendVoice') && String(c.params.chat_id) === String(chat));
const shown = (chat: number) => outgoing(chat).map((c) => (c.method === 'sendVoice' ? 'voice' : String(c.params.text)));

async function post(update: unknown): Promise<void> {
  expect((await tg.post(update)).status).toBe(200);
}

/** A new chat that chose `language` (the language menu's button of that name): the menu reached her. */
async function chatIn(language: string): Promise<number> {
  const chat = randomChatId();
  await post(startUpdate(chat));
  await settle(chat, 1);
  await post(callbackUpdate(chat, keyboardOf(outgoing(chat)[0]!).find((b) => b.text === language)!.callback_data));
  await settle(chat, 2);
  return chat;
}

/** Waits until `n` messages (texts and voices) have reached the chat, then a little more to see no more come. */
async function settle(chat: number, n: number): Promise<string[]> {
  await eventually(() => outgoing(chat).length >= n, 10_000, `${n} messages`);
  await sleep(300);
  return shown(chat);
}

describe('listen mode on Telegram', () => {
  it('offers it in the language menu; LISTEN sends the recorded prompts as voice messages, then the text and its buttons; READ, text alone', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    const languages = keyboardOf(outgoing(chat)[0]!).map((b) => b.text);
    expect(languages[6]).toBe(localeText('fr', 'voice_messages:choice'));
    await post(callbackUpdate(chat, keyboardOf(outgoing(chat)[0]!).find((b) => b.text === 'English')!.callback_data));
    expect((await settle(chat, 2))[1]).toBe(localeText('en', 'menu:prompt'));

    // LISTEN: the confirmation (recorded in English) as a voice message, uploaded as OGG/Opus, then
    // its text, then the menu (recorded in French only: text alone, no French voice) with its buttons
    await post(textUpdate(chat, 'LISTEN'));
    const listened = (await settle(chat, 5)).slice(2);
    expect(listened).toEqual(['voice', localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    const [voice, , menu] = outgoing(chat).slice(2);
    expect(voice!.upload).toMatchObject({ field: expect.any(String), startsWith: 'OggS' });
    expect(keyboardOf(menu!).map((b) => b.text)).toContain(localeText('en', 'menu:help'));
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toMatchObject({ listenMode: true });

    // the same recording again: Telegram's file_id is reused, nothing uploaded
    await post(textUpdate(chat, 'listen'));
    expect((await settle(chat, 8)).slice(5)).toEqual(['voice', localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    const again = outgoing(chat)[5]!;
    expect(again.upload).toBeUndefined();
    expect(again.params.voice).toBe(`voice-file-${voice!.messageId}`);

    // READ: text alone again
    await post(textUpdate(chat, 'READ'));
    expect((await settle(chat, 10)).slice(8)).toEqual([localeText('en', 'voice_messages:off'), localeText('en', 'menu:prompt')]);
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toMatchObject({ listenMode: false });
  });
});

describe('listen mode on Telegram: a menu said whole, and the offer after a voice note', () => {
  beforeAll(async () => {
    // more English recordings: the menu's question, two of its labels (reparations, help) and the "press N"
    // clips; the other labels stay unrecorded (their buttons alone)
    const dir = mkdtempSync(join(tmpdir(), 'sira-listen-menu-'));
    await writeTone(join(dir, 'tone.wav'), { seconds: 1, hz: 330 });
    const recordings = tg.app.get(RecordingsService);
    const tone = readFileSync(join(dir, 'tone.wav'));
    for (const key of ['menu:prompt', 'menu:reparations', 'menu:help', ...[1, 2, 3, 4, 5, 6].map((n) => `voice:press.${n}`)]) {
      await recordings.store('en', key, tone, 'Test (translator)');
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** The voice files' SHA-256 of the English recordings, by key. */
  async function englishVoices(): Promise<Map<string, string>> {
    return new Map((await tg.app.get(RecordingsRepository).list('en')).map((r) => [r.key, r.voiceSha256]));
  }

  /** What one joined voice message saying these English recordings is named, and whether it was made. */
  async function joined(keys: string[]): Promise<{ key: string; made: boolean }> {
    const voices = await englishVoices();
    const key = joinedVoiceKey(keys.map((k) => voices.get(k)!));
    const rows = await tg.database.rows<{ joined_from: string }>(sql`select joined_from from audio_files where sha256 = ${key}`);
    return { key, made: rows.length === 1 && rows[0]!.joined_from === keys.map((k) => voices.get(k)).join(' ') };
  }

  it('a voice note gets the offer (text and yes/no buttons, no voice); yes: listen mode on, the reply as ONE voice message saying the menu with its recorded labels and numbers; LIRE: text alone', async () => {
    const chat = await chatIn('English');

    // her voice note: the offer, as text with its two buttons; nothing switched on, nothing said
    await post(voiceUpdate(chat));
    const [offer] = (await settle(chat, 3)).slice(2);
    expect(offer).toBe(localeText('en', 'voice_messages:offer.prompt'));
    const buttons = keyboardOf(outgoing(chat)[2]!);
    expect(buttons.map((b) => b.text)).toEqual([localeText('en', 'voice_messages:offer.yes'), localeText('en', 'voice_messages:offer.no')]);
    expect(outgoing(chat).some((c) => c.method === 'sendVoice')).toBe(false);
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toMatchObject({ listenMode: false });

    // she taps yes: listen mode on; the reply is one voice message, then the confirmation and the menu as text
    await post(callbackUpdate(chat, buttons[0]!.callback_data));
    const after = (await settle(chat, 6)).slice(3);
    expect(after).toEqual(['voice', localeText('en', 'voice_messages:on'), localeText('en', 'menu:prompt')]);
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toMatchObject({ listenMode: true });
    const menu = keyboardOf(outgoing(chat)[5]!).map((b) => b.text);
    const help = menu.indexOf(localeText('en', 'menu:help')) + 1;
    expect(menu[0]).toBe(localeText('en', 'menu:reparations'));
    expect(help).toBeGreaterThan(1);
    // what it says: the confirmation, the question, then only the recorded labels, each with its number
    // (testimony, callback, safety and language have no English recording: their buttons alone)
    const spoken = ['voice_messages:on', 'menu:prompt', 'menu:reparations', 'voice:press.1', 'menu:help', `voice:press.${help}`];
    const said = await joined(spoken);
    expect(said.made).toBe(true);
    const voice = outgoing(chat)[3]!;
    expect(voice.method).toBe('sendVoice');
    expect(voice.upload).toMatchObject({ startsWith: 'OggS' });

    // the next reply is said too: the menu alone (MENU), another joined message
    await post(textUpdate(chat, 'menu'));
    expect((await settle(chat, 8)).slice(6)).toEqual(['voice', localeText('en', 'menu:prompt')]);
    expect((await joined(spoken.slice(1))).made).toBe(true);

    // the same reply again: the same joined file, Telegram's file_id reused, nothing uploaded or made again
    await post(textUpdate(chat, 'menu'));
    expect((await settle(chat, 10)).slice(8)).toEqual(['voice', localeText('en', 'menu:prompt')]);
    expect(outgoing(chat)[8]!.upload).toBeUndefined();
    expect(outgoing(chat)[8]!.params.voice).toBe(`voice-file-${outgoing(chat)[6]!.messageId}`);

    // LIRE (the French word works in English too): text alone again
    await post(textUpdate(chat, 'LIRE'));
    expect((await settle(chat, 12)).slice(10)).toEqual([localeText('en', 'voice_messages:off'), localeText('en', 'menu:prompt')]);
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toMatchObject({ listenMode: false });
  });

  it('a French contact in listen mode hears only French recordings: the French menu text alone, no English label, nothing joined', async () => {
    const chat = await chatIn('Français');
    const joinedBefore = await tg.database.rows(sql`select sha256 from audio_files where joined_from is not null`);
    await post(textUpdate(chat, 'ECOUTER'));
    // the French confirmation is not recorded and no French label is: the French menu text alone, as itself
    expect((await settle(chat, 5)).slice(2)).toEqual(['voice', localeText('fr', 'voice_messages:on'), localeText('fr', 'menu:prompt')]);
    expect(await tg.database.rows(sql`select sha256 from audio_files where joined_from is not null`)).toHaveLength(joinedBefore.length);
  });
});
