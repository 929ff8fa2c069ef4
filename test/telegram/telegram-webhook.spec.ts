import { localeText } from '../support/locale-text';
import { eventually, keyboardOf, openTelegramTestEnv, sleep, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from './telegram-harness';
import { callbackUpdate, groupTextUpdate, randomChatId, startUpdate, stickerUpdate, textUpdate } from './telegram-updates';

jest.setTimeout(60_000);

let env: TelegramTestEnv;
let tg: TelegramTestApp;

beforeAll(async () => {
  env = await openTelegramTestEnv('tgwh');
  tg = await startTelegramApp(env);
});

afterAll(async () => {
  await tg?.close();
  await env?.dispose();
});

const sent = (chatId: number) => tg.fake.callsOf('sendMessage', chatId);
const texts = (chatId: number) => sent(chatId).map((c) => String(c.params.text));

async function post(update: unknown): Promise<void> {
  const res = await tg.post(update);
  expect(res.status).toBe(200);
}

/** Taps the button labelled `label` on the last keyboard the bot sent to this chat. */
async function tap(chatId: number, label: string): Promise<void> {
  const withKeyboard = sent(chatId).filter((c) => keyboardOf(c).length > 0);
  const button = keyboardOf(withKeyboard[withKeyboard.length - 1]!).find((b) => b.text === label);
  if (!button) throw new Error(`no button "${label}" on the last keyboard`);
  await post(callbackUpdate(chatId, button.callback_data));
}

/** Waits until `n` messages have reached the chat, then a little more to see that no more come. */
async function settle(chatId: number, n: number): Promise<string[]> {
  await eventually(() => sent(chatId).length >= n, 10_000, `${n} messages`);
  await sleep(300);
  return texts(chatId);
}

describe('the Telegram webhook', () => {
  it('carries a conversation in Bambara to the reparations content, with inline keyboards', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    expect(keyboardOf(sent(chat)[0]!).map((b) => b.text)).toContain('Bamanankan');

    await tap(chat, 'Bamanankan');
    await settle(chat, 2);
    expect(texts(chat)[1]).toBe(localeText('bm', 'menu:prompt'));
    const menu = keyboardOf(sent(chat)[1]!);
    expect(menu.map((b) => b.text)).toEqual(
      expect.arrayContaining(['menu:reparations', 'menu:testimony', 'menu:help'].map((k) => localeText('bm', k))),
    );
    expect(menu.every((b) => Buffer.byteLength(b.callback_data) <= 64)).toBe(true);

    await tap(chat, localeText('bm', 'menu:reparations'));
    const all = await settle(chat, 4);
    expect(all[2]).toBe(localeText('bm', 'reparations:overview'));
    expect(sent(chat).every((c) => c.params.parse_mode === 'HTML')).toBe(true);
    expect(keyboardOf(sent(chat)[3]!).length).toBeGreaterThan(1);
    // every tap was answered so her client stops spinning
    expect(tg.fake.callsOf('answerCallbackQuery')).toHaveLength(2);
  });
});
