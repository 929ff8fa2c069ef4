import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { writeTone } from '../recordings/test-tones';
import { localeText } from '../support/locale-text';
import { eventually, keyboardOf, openTelegramTestEnv, sleep, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from './telegram-harness';
import { callbackUpdate, randomChatId, startUpdate, textUpdate } from './telegram-updates';

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
