import { openTelegramTestEnv, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from '../telegram/telegram-harness';
import { textUpdate } from '../telegram/telegram-updates';
import { drawFuzzCases, FUZZ_RUNS, FUZZ_WIDTH, runFuzzCases, watchUnhandledRejections } from './hostile.arbitraries';
import { ReplyRecorder } from './reply-recorder';
import { telegramCase, type TelegramCase } from './telegram-update.arbitrary';

jest.setTimeout(Math.max(240_000, FUZZ_RUNS * 120));

/**
 * Hostile Telegram updates with the right secret token, so that they reach the handler: every
 * answer is below 500, nothing is left unhandled, and the chat still answers its next message.
 */
describe(`the Telegram webhook under ${FUZZ_RUNS} hostile updates`, () => {
  const rejections = watchUnhandledRejections();
  let env: TelegramTestEnv;
  let tg: TelegramTestApp;
  let replies: ReplyRecorder;
  let drawn: TelegramCase[];

  beforeAll(async () => {
    drawn = drawFuzzCases(telegramCase);
    env = await openTelegramTestEnv('fuzz_tg');
    tg = await startTelegramApp(env);
    replies = ReplyRecorder.install(tg.app, 'telegram');
  });

  afterAll(async () => {
    rejections.stop();
    await tg?.close();
    await env?.dispose();
  });

  async function status(update: unknown): Promise<number> {
    const res = await tg.post(update);
    await res.arrayBuffer();
    return res.status;
  }

  async function nextMessageAnswered(chatId: number): Promise<boolean> {
    const before = replies.repliesTo(String(chatId));
    return (await status(textUpdate(chatId, '0'))) === 200 && replies.repliesTo(String(chatId)) > before;
  }

  // kept from the fuzzer's first failures (seed 20261128): both answered 500, so Telegram would resend them forever
  it.each([
    ['a message that is an array', (chatId: number) => ({ ...textUpdate(chatId, 'x'), message: [] })],
    ['a chat that is a number', (chatId: number) => ({ ...textUpdate(chatId, ''), message: { ...textUpdate(chatId, '').message, chat: 1.7976931348623133e308 } })],
  ])('answers 200 to %s, and the chat still answers its next message', async (_what, update) => {
    const chatId = 499_000_000 + Math.floor(Math.random() * 1_000_000);
    expect(await status(update(chatId))).toBe(200);
    expect(await nextMessageAnswered(chatId)).toBe(true);
  });

  it('answers every case below 500, leaves no rejection unhandled, and the chat answers its next message', async () => {
    const { cases, failures } = await runFuzzCases(drawn, async (c: TelegramCase) => {
      const code = await status(c.update);
      const answered = code < 500 && (await nextMessageAnswered(c.chatId));
      return code >= 500 || !answered ? `status ${code}, next message answered: ${answered}, update ${JSON.stringify(c.update).slice(0, 400)}` : undefined;
    });
    console.log(`telegram fuzz: ${cases} cases (${FUZZ_WIDTH} at a time), ${failures.length} failures, ${rejections.count()} unhandled rejections`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(rejections.count()).toBe(0);
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
  });
});
