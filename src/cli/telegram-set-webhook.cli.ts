/**
 * `npm run telegram:set-webhook`: tells Telegram to post updates to PUBLIC_BASE_URL/webhooks/telegram
 * with the secret token (TELEGRAM_WEBHOOK_SECRET) and only the update types Sira reads. Run it once per
 * deployment, and again whenever the URL or the secret changes. `-- --delete` removes the webhook
 * (e.g. before TELEGRAM_MODE=polling). Prints what Telegram reports, never the token or the secret.
 */
import { loadConfig } from '../config/config';
import { createTelegramBot, TELEGRAM_ALLOWED_UPDATES, TELEGRAM_WEBHOOK_PATH } from '../channels/telegram/telegram.bot';

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const telegram = config.telegram;
  if (!telegram) {
    console.error('TELEGRAM_BOT_TOKEN is not set: the Telegram channel is off.');
    return 1;
  }
  const bot = createTelegramBot(telegram);
  if (argv.includes('--delete')) {
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    console.log('Telegram webhook removed.');
    return 0;
  }
  if (!telegram.webhookSecret) {
    console.error('TELEGRAM_WEBHOOK_SECRET is not set: a webhook without a secret would accept anyone\'s updates.');
    return 1;
  }
  const url = `${config.http.publicBaseUrl}${TELEGRAM_WEBHOOK_PATH}`;
  if (!url.startsWith('https://')) console.warn(`warning: Telegram only calls https URLs (${url})`);
  await bot.api.setWebhook(url, { secret_token: telegram.webhookSecret, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] });
  const info = await bot.api.getWebhookInfo();
  console.log(`Telegram webhook set: ${info.url || url}`);
  console.log(`allowed updates: ${(info.allowed_updates ?? [...TELEGRAM_ALLOWED_UPDATES]).join(', ')}; pending: ${info.pending_update_count ?? 0}`);
  if (info.last_error_message) console.log(`last delivery error reported by Telegram: ${info.last_error_message}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    // grammY's errors name the method and Telegram's description; they never include the token.
    console.error(`telegram:set-webhook failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
