import { localeText } from '../support/locale-text';
import { WEBHOOK_SECRET, eventually, keyboardOf, openTelegramTestEnv, sleep, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from './telegram-harness';
import { OutboundService } from '../../src/outbound/outbound.service';
import { OutboundJobKind } from '../../src/outbound/outbound.types';
import { callbackUpdate, groupTextUpdate, myChatMemberUpdate, randomChatId, startUpdate, stickerUpdate, textUpdate } from './telegram-updates';

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

describe('the secret token', () => {
  it.each([
    ['missing', null],
    ['wrong', 'tg_secret_not_the_right_one'],
    ['almost right', 'x'],
  ])('refuses an update with a %s secret and processes nothing', async (_what, secret) => {
    const chat = randomChatId();
    const res = await tg.post(startUpdate(chat), secret === 'x' ? `${WEBHOOK_SECRET}x` : secret);
    expect(res.status).toBe(401);
    await sleep(300);
    expect(sent(chat)).toHaveLength(0);
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toBeUndefined();
  });

  it('answers 400 to a body that is not an update, once the secret is right', async () => {
    const res = await tg.post({ hello: 'world' });
    expect(res.status).toBe(400);
  });
});

describe('delivery', () => {
  it('handles the same update posted five times at once once, with one set of replies', async () => {
    const chat = randomChatId();
    const update = startUpdate(chat);
    const statuses = await Promise.all(Array.from({ length: 5 }, () => tg.post(update).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(await settle(chat, 1)).toHaveLength(1);
  });

  it('waits out a 429 retry_after and delivers the message exactly once', async () => {
    const chat = randomChatId();
    tg.fake.failNext('sendMessage', { status: 429, retryAfter: 1 }, { chatId: chat });
    await post(startUpdate(chat));
    await eventually(() => sent(chat).length >= 2, 10_000, 'the retried send');
    await sleep(500);
    const [refused, accepted] = sent(chat);
    expect(sent(chat)).toHaveLength(2); // the refused attempt and the one that got through
    expect(accepted!.params.text).toBe(refused!.params.text);
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a 5xx with backoff and the message still arrives once', async () => {
    const chat = randomChatId();
    tg.fake.failNext('sendMessage', { status: 502 }, { chatId: chat, times: 2 });
    await post(startUpdate(chat));
    await eventually(() => sent(chat).length >= 3, 10_000, 'the retried send');
    await sleep(500);
    expect(sent(chat)).toHaveLength(3);
    expect(new Set(texts(chat)).size).toBe(1);
  });

  it('paces the messages of one chat: after a short burst, no more than one per interval', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    const before = sent(chat).length;
    // "aide" answers with several messages; send three turns in a row
    for (const text of ['aide', 'menu', 'aide']) await post(textUpdate(chat, text));
    await eventually(() => sent(chat).length >= before + 5, 15_000, 'the replies');
    const times = sent(chat).map((c) => c.at);
    const span = times[times.length - 1]! - times[0]!;
    // burst of 3 then one per 200 ms (TEST_PACING): n messages take at least (n - 3) intervals
    expect(span).toBeGreaterThanOrEqual((times.length - 3) * 200 - 50);
  });
});

describe('blocks', () => {
  it('stops a contact whose send answers 403, and sends her nothing proactive afterwards', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    tg.fake.failNext('sendMessage', { status: 403 }, { chatId: chat });
    await post(textUpdate(chat, 'Français'));
    const contact = await eventually(async () => {
      const c = await tg.contacts.findByAddress('telegram', String(chat));
      return c?.optedOut ? c : undefined;
    }, 10_000, 'the contact to be stopped');
    expect(contact.optedOutSource).toBe('blocked');

    const outbound = tg.app.get(OutboundService);
    const queued = await outbound.enqueue('telegram', {
      address: String(chat), contactId: contact.id, language: 'fr', outputs: [{ text: 'common:expired' }], kind: OutboundJobKind.Proactive,
    });
    expect(queued).toEqual([]);
    await sleep(500);
    expect(sent(chat)).toHaveLength(2); // the first reply and the refused one: nothing after

    // writing again lifts a block (not a STOP): she is answered
    await post(textUpdate(chat, 'menu'));
    await settle(chat, 3);
    expect((await tg.contacts.findByAddress('telegram', String(chat)))?.optedOut).toBe(false);
  });

  it('records a block from my_chat_member and sends nothing; unblocking alone sends nothing either', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    await post(myChatMemberUpdate(chat, 'member', 'kicked'));
    const contact = await tg.contacts.findByAddress('telegram', String(chat));
    expect(contact).toMatchObject({ optedOut: true, optedOutSource: 'blocked' });
    await post(myChatMemberUpdate(chat, 'kicked', 'member'));
    await sleep(300);
    expect(sent(chat)).toHaveLength(1);
  });

  it('keeps a STOP in force when she blocks and unblocks the bot', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    await post(textUpdate(chat, 'stop'));
    await settle(chat, 2);
    await post(myChatMemberUpdate(chat, 'member', 'kicked'));
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toMatchObject({ optedOut: true, optedOutSource: 'keyword' });
  });
});

describe('buttons and other messages', () => {
  it('says so when an old button is tapped, and shows the current question again', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    const oldKeyboard = keyboardOf(sent(chat)[0]!);
    await tap(chat, 'Français');
    await settle(chat, 2);
    await post(callbackUpdate(chat, oldKeyboard.find((b) => b.text === 'English')!.callback_data));
    const all = await settle(chat, 4);
    expect(all[2]).toBe(localeText('fr', 'common:stale_button'));
    expect(all[3]).toBe(all[1]); // the current question again, still in French
  });

  it('answers a button tap that is not ours without doing anything else', async () => {
    const chat = randomChatId();
    const before = tg.fake.callsOf('answerCallbackQuery').length;
    await post(callbackUpdate(chat, 'something-else'));
    expect(tg.fake.callsOf('answerCallbackQuery')).toHaveLength(before + 1);
    await sleep(200);
    expect(sent(chat)).toHaveLength(0);
  });

  it('answers a sticker with a short hint in her language, once even if redelivered', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await settle(chat, 1);
    await tap(chat, 'Bamanankan');
    await settle(chat, 2);
    const sticker = stickerUpdate(chat);
    await post(sticker);
    await post(sticker);
    const all = await settle(chat, 3);
    expect(all).toHaveLength(3);
    expect(all[2]).toBe(localeText('bm', 'common:use_buttons'));
  });

  it('in a group, says once that it works in private chats, and leaves', async () => {
    const group = -1_000_000_000 - randomChatId();
    await post(groupTextUpdate(group, randomChatId(), 'Bonjour'));
    await post(groupTextUpdate(group, randomChatId(), 'Allo ?'));
    await eventually(() => tg.fake.callsOf('leaveChat', group).length >= 2, 5_000, 'leaveChat');
    const notices = sent(group);
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.params.text)).toContain(localeText('fr', 'common:private_only'));
    expect(String(notices[0]!.params.text)).toContain(localeText('bm', 'common:private_only'));
    expect(await tg.contacts.findByAddress('telegram', String(group))).toBeUndefined();
  });
});
