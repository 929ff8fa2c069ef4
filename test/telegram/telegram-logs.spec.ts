import { LogCapture } from '../conversations/conversation-harness';
import { TOKEN, WEBHOOK_SECRET, eventually, openTelegramTestEnv, sleep, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from './telegram-harness';
import { contactUpdate, groupTextUpdate, myChatMemberUpdate, randomChatId, startUpdate, stickerUpdate, textUpdate } from './telegram-updates';

jest.setTimeout(60_000);

let env: TelegramTestEnv;
let tg: TelegramTestApp;
const logs = new LogCapture();

beforeAll(async () => {
  env = await openTelegramTestEnv('tglog');
  tg = await startTelegramApp(env, { LOG_LEVEL: 'debug' }, logs);
});

afterAll(async () => {
  await tg?.close();
  await env?.dispose();
});

it('never writes a chat id, a message, a phone number, the token or the secret to the logs', async () => {
  const chat = randomChatId();
  const group = -1_000_000_000 - randomChatId();
  const words = 'Bonjour je suis Mariam de Mopti';
  await tg.post(startUpdate(chat));
  await eventually(() => tg.fake.callsOf('sendMessage', chat).length >= 1, 10_000, 'first reply');
  await tg.post(textUpdate(chat, words));
  await tg.post(contactUpdate(chat, '+22376543210', chat));
  await tg.post(stickerUpdate(chat));
  await tg.post(groupTextUpdate(group, chat, words));
  tg.fake.failNext('sendMessage', { status: 403 }, { chatId: chat });
  await tg.post(textUpdate(chat, 'menu'));
  await tg.post(myChatMemberUpdate(chat, 'member', 'kicked'));
  await tg.post(startUpdate(chat), 'wrong-secret-value-123');
  await eventually(async () => (await tg.contacts.findByAddress('telegram', String(chat)))?.optedOut, 10_000, 'the block');
  await sleep(1000); // let the queue finish whatever was still waiting

  const text = logs.text();
  expect(text).toContain('telegram'); // the log is not empty: handling was logged
  for (const secret of [String(chat), String(group).slice(1), words, 'Mariam', '76543210', TOKEN.split(':')[1]!, WEBHOOK_SECRET, 'wrong-secret-value-123']) {
    expect(text).not.toContain(secret);
  }
});
