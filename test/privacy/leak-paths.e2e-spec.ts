import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/config';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { malianNumber, eventually } from '../sms/sms-test.helpers';
import { TOKEN, WEBHOOK_SECRET } from '../telegram/telegram-harness';
import { randomChatId } from '../telegram/telegram-updates';
import { startPrivacyApp, type PrivacyApp } from './privacy-harness';
import { cleanUpsDone, numberForms, say, scanEverywhere, smsCallback, tell, telegramCallback } from './privacy-flows';

jest.setTimeout(180_000);

/**
 * The acceptance scan: the service runs its end-to-end flows (SMS through the signed Twilio webhook,
 * Telegram through updates, a callback request on each, provider failures whose texts quote the
 * number) with canary numbers and texts; afterwards none of them is in the log output (debug level,
 * request logs included), a pg_dump, any Redis key or value under the test prefix, or BullMQ's jobs
 * (kept jobs, failure reasons and event streams all live in those Redis keys).
 */
describe('leak paths: canary numbers and texts end up nowhere', () => {
  let app: PrivacyApp;
  const canaryText = () => `Kanari${randomBytes(6).toString('hex')}`;
  const smsNumber = malianNumber();
  const smsCallbackNumber = smsNumber;
  const failingNumber = malianNumber();
  const chat = randomChatId();
  const telegramNumber = malianNumber();
  const texts: string[] = [];

  beforeAll(async () => {
    app = await startPrivacyApp({ label: 'leak' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('after SMS, Telegram and callback flows, with provider errors quoting the number: 0 hits', async () => {
    // SMS: a callback request from her own number, and free text the service does not understand
    await smsCallback(app, smsNumber);
    for (let i = 0; i < 2; i++) {
      const text = canaryText();
      texts.push(text);
      await say(app, smsNumber, text);
    }
    // Telegram: a callback request with a typed number, and free text
    await telegramCallback(app, chat, telegramNumber.slice(4));
    const tgText = canaryText();
    texts.push(tgText);
    await tell(app, chat, tgText);

    // provider errors that quote the number / chat id: only a code may be kept or logged
    app.twilio.failNext({ kind: 'status', status: 400, code: 21211, message: `The 'To' number ${failingNumber} is not a valid phone number.` });
    const failing = canaryText();
    texts.push(failing);
    await app.sms(failingNumber, failing);
    await eventually(() => app.twilio.attempts.some((a) => a.to === failingNumber), 10_000, 'the refused send');
    const other = randomChatId();
    app.telegram.failNext('sendMessage', { status: 400, description: `Bad Request: chat ${other} not found` }, { chatId: other });
    const otherText = canaryText();
    texts.push(otherText);
    await app.update({ update_id: Math.floor(Math.random() * 1e9), message: { message_id: 1, from: { id: other, is_bot: false, first_name: 'A' }, chat: { id: other, type: 'private' }, date: Math.floor(Date.now() / 1000), text: otherText } });
    await eventually(() => app.telegram.callsOf('sendMessage', other).length > 0, 10_000, 'the refused Telegram send');
    await new Promise((r) => setTimeout(r, 1500));
    await cleanUpsDone(app);

    const needles = [
      ...numberForms(smsNumber),
      ...numberForms(smsCallbackNumber),
      ...numberForms(failingNumber),
      ...numberForms(telegramNumber),
      String(chat),
      String(other),
      ...texts,
      WEBHOOK_SECRET,
      TOKEN,
    ];
    const hits = await scanEverywhere(app, needles);
    expect(app.logs.text().length).toBeGreaterThan(1000); // the logs were captured (debug level)
    expect(hits).toEqual({ logs: [], database: [], redis: [] });

    // the scan itself sees what is there: table names in the dump, the prefix in Redis, a log message
    const control = await scanEverywhere(app, ['callback_requests', `${app.prefix}:`, 'message handled']);
    expect(control.database).toContain('callback_requests');
    expect(control.redis).toContain(`${app.prefix}:`);
    expect(control.logs).toContain('message handled');
    // and the refused send was recorded, by its code only
    const codes = await app.app.get<Database>(DATABASE).select({ code: outboundMessages.errorCode }).from(outboundMessages);
    expect(codes.map((c) => c.code)).toContain('21211');
  });

  it('configuration errors name the variable, never the value', () => {
    const canary = malianNumber();
    const attempts: Record<string, string>[] = [
      { TWILIO_FROM: canary, TWILIO_ACCOUNT_SID: `AC${canary}`, TWILIO_AUTH_TOKEN: canary },
      { PORT: canary },
      { REDIS_URL: `redis://user:${canary}@` },
      { SIRA_ENCRYPTION_KEYS: `k1:${canary}` },
      { CALLBACK_STAFF_TELEGRAM_CHAT_ID: `x${canary}` },
      { PUBLIC_BASE_URL: `not a url ${canary}` },
    ];
    for (const env of attempts) {
      let message = '';
      try {
        loadConfig({ NODE_ENV: 'production', ...env });
      } catch (err) {
        message = err instanceof Error ? `${err.message} ${err.stack ?? ''}` : String(err);
      }
      expect(message).not.toBe('');
      for (const form of numberForms(canary)) expect(message).not.toContain(form);
    }
  });
});
