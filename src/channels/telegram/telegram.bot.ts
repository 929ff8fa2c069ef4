import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Config } from '../../config/config';
import { countTelegramErrors } from '../../metrics/telegram-errors.transformer';
import { inlineRetry } from './telegram-retry.transformer';

export type TelegramConfig = NonNullable<Config['telegram']>;

/** Injection token of the grammY `Bot` of this process. */
export const TELEGRAM_BOT = Symbol('TELEGRAM_BOT');

/** The updates Sira asks Telegram for (webhook registration and long polling alike). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** The path Telegram posts updates to, under PUBLIC_BASE_URL. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/**
 * A call that takes longer than this is abandoned and counted as ambiguous (it may have been sent):
 * grammY's default of 500 s would hold a queue worker for minutes.
 */
const API_TIMEOUT_SECONDS = 15;

/**
 * The grammY bot for the configured token, talking to `TELEGRAM_API_ROOT` (a local fake in tests).
 * `botInfo` is normally fetched once with getMe (`initBot`); a caller that already has it passes it.
 */
export function createTelegramBot(config: Pick<TelegramConfig, 'token' | 'apiRoot'>, botInfo?: UserFromGetMe): Bot {
  const bot = new Bot(config.token, {
    botInfo,
    client: { apiRoot: config.apiRoot.replace(/\/+$/, ''), timeoutSeconds: API_TIMEOUT_SECONDS },
  });
  // counted innermost (each attempt), then retried in place
  bot.api.config.use(countTelegramErrors(), inlineRetry());
  return bot;
}
