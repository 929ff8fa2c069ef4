import { randomBytes } from 'node:crypto';
import { TELEGRAM_WEBHOOK_PATH } from '../../src/channels/telegram/telegram.bot';
import { FakeTelegramServer } from '../fakes/fake-telegram.server';
import { randomChatId, startUpdate, textUpdate } from '../telegram/telegram-updates';
import { CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { Counts, inPool, numberFor, postSms, runTag, sleep, waitFor } from './support/traffic';

jest.setTimeout(120_000);

/** 30 conversations of 3 turns (120 replies), with 24 of the sends failing at the fake Twilio. */
const CONVERSATIONS = 30;

describe('the fake Twilio and the fake Telegram Bot API failing (its own Redis and PostgreSQL)', () => {
  let stack: ResilienceStack;
  const telegram = new FakeTelegramServer();

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('provider');
    await telegram.start();
  });

  afterAll(async () => {
    await telegram.stop();
    await stack?.dispose();
  });

  it('Telegram: no reply lost on 429 or 5xx, none sent twice, nothing tried after a 403 block until she writes again', async () => {
    const secret = `tg_${randomBytes(12).toString('hex')}`;
    const service = await stack.startInstance({
      TELEGRAM_BOT_TOKEN: `7000001:${randomBytes(18).toString('hex')}`,
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_API_ROOT: telegram.url,
    });
    const counts = new Counts();
    const post = async (update: unknown) => {
      counts.tried++;
      for (let attempt = 0; attempt < 10; attempt++) {
        const res = await fetch(`${service.url}${TELEGRAM_WEBHOOK_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update),
        }).catch(() => undefined);
        if (res?.status === 200) return void counts.accepted++;
        if (res && res.status >= 500) counts.errors5xx++;
        else if (!res) counts.unanswered++;
        await sleep(300); // Telegram redelivers an update that was not answered 200
      }
    };
    const chats = Array.from({ length: 20 }, () => randomChatId());
    const blocked = chats.pop()!;
    telegram.failNext('sendMessage', { status: 403 }, { chatId: blocked, times: 1 });
    telegram.failNext('sendMessage', { status: 429, retryAfter: 1 }, { times: 4 });
    telegram.failNext('sendMessage', { status: 500 }, { times: 3 });
    telegram.failNext('sendMessage', { status: 502 }, { times: 3 });
    await post(startUpdate(blocked));
    await waitFor(() => telegram.callsOf('sendMessage', blocked).length === 1, 10_000);
    await inPool(chats, 5, async (chat) => post(startUpdate(chat)));
    const delivered = (chat: number) => telegram.callsOf('sendMessage', chat).filter((c) => c.messageId !== undefined);
    await waitFor(() => chats.every((c) => delivered(c).length >= 1), 60_000);
    await settle(() => telegram.calls.length, 1_500);
    // After the 403 nothing more is tried for her while she stays silent (no retry, nothing proactive).
    // Writing again means she unblocked the bot (Telegram lets no message through while blocked), so
    // her new messages are answered: that is checked too.
    const afterBlock = telegram.callsOf('sendMessage', blocked).length - 1;
    await post(textUpdate(blocked, '/start'));
    const answeredAgain = await waitFor(() => telegram.callsOf('sendMessage', blocked).some((c) => c.messageId !== undefined), 10_000);

    for (const chat of chats) {
      const n = delivered(chat).length;
      if (n === 0) counts.lost++;
      if (n > 1) counts.duplicated += n - 1;
    }
    counts.extra['failures_injected'] = 11;
    counts.extra['failed_calls'] = telegram.callsOf('sendMessage').filter((c) => c.messageId === undefined).length;
    counts.extra['sent_after_block'] = afterBlock;
    counts.print('Telegram 429/5xx/403');

    expect(counts.accepted).toBe(counts.tried);
    expect(counts.extra['failed_calls']).toBe(11);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(afterBlock).toBe(0);
    expect(answeredAgain).toBe(true);
    await service.stop('SIGTERM');
  });

  it('SMS: loses no reply on 5xx/429, never sends one twice, counts timeouts as unknown, and sends nothing after STOP or a carrier block', async () => {
    const service = await stack.startInstance({ TWILIO_TIMEOUT_MS: '1000' });
    const urls = [service.url];
    const fake = stack.fake;
    const received = (to: string) => fake.bodiesTo(to);
    const run = runTag();
    const reference = await referenceRun(numberFor(run, 0), CONVERSATION, { urls, counts: new Counts() }, received);

    const HANGS = 4;
    for (let i = 0; i < 4; i++) {
      fake.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfterSeconds: 1 }, { kind: 'status', status: 502 }, { kind: 'status', status: 500 });
      fake.failNext({ kind: 'hang' });
    }
    const numbers = Array.from({ length: CONVERSATIONS }, (_, i) => numberFor(run, 100 + i));
    const counts = new Counts();
    await runConversations(numbers, CONVERSATION, 10, { urls, counts });
    const expectedTotal = numbers.length * reference.length;
    await waitFor(() => fake.messages.filter((m) => numbers.includes(m.to)).length >= expectedTotal - HANGS, 60_000);
    await settle(() => fake.messages.length, 2_500);

    // A send the fake never answered may have gone out: it is `unknown`, and never attempted again.
    const hung = fake.attempts.filter((a) => !fake.messages.some((m) => m.sid === a.sid) && !fake.attempts.some((b) => b !== a && b.to === a.to && b.body === a.body && b.at > a.at));
    const unknownRows = Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where status = 'unknown'"))[0]!.n);
    for (const to of numbers) {
      const got = [...received(to)].sort();
      const want = [...reference].sort();
      const missing = want.filter((b) => !got.includes(b)).length;
      const extra = got.length - new Set(got).size + got.filter((b) => !want.includes(b)).length;
      counts.duplicated += extra;
      counts.lost += missing;
    }
    counts.lost -= unknownRows; // the unknown ones are accounted for (staff see them), not lost
    const resentAfterHang = fake.attempts.filter((a, i) => fake.attempts.slice(0, i).some((b) => b.to === a.to && b.body === a.body && !fake.messages.some((m) => m.sid === b.sid) && hungSid(b.sid))).length;
    function hungSid(sid: string) {
      return hung.some((h) => h.sid === sid);
    }

    // STOP, and a carrier block (Twilio 21610): nothing is sent to either afterwards.
    const stopper = numberFor(run, 900);
    const blocked = numberFor(run, 901);
    await postSms(stopper, 'Bonjour', { urls, counts });
    await waitFor(() => received(stopper).length === 1, 10_000);
    await postSms(stopper, 'STOP', { urls, counts });
    await waitFor(() => received(stopper).length === 2, 10_000);
    fake.failNext({ kind: 'status', status: 400, code: 21610 });
    await postSms(blocked, 'Bonjour', { urls, counts });
    await waitFor(async () => Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where error_code = '21610'"))[0]!.n) === 1, 10_000);
    const before = { stopper: fake.attempts.filter((a) => a.to === stopper).length, blocked: fake.attempts.filter((a) => a.to === blocked).length };
    for (const body of ['Bonjour', '1', 'AIDE']) {
      await postSms(stopper, body, { urls, counts });
      await postSms(blocked, body, { urls, counts });
    }
    await sleep(2_000);
    const after = { stopper: fake.attempts.filter((a) => a.to === stopper).length, blocked: fake.attempts.filter((a) => a.to === blocked).length };

    counts.extra['provider_failures'] = 24;
    counts.extra['unknown_sends'] = unknownRows;
    counts.extra['resent_after_timeout'] = resentAfterHang;
    counts.extra['sent_after_stop_or_block'] = after.stopper - before.stopper + after.blocked - before.blocked;
    counts.print('provider failures');

    expect(counts.accepted).toBe(counts.tried);
    expect(unknownRows).toBe(HANGS);
    expect(resentAfterHang).toBe(0);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(after).toEqual(before);
  });
});
