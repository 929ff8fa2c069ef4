import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Bot } from 'grammy';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { runsWorkers } from '../../config/process-role';
import { TELEGRAM_ALLOWED_UPDATES, TELEGRAM_BOT } from './telegram.bot';
import { TelegramUpdateHandler } from './telegram-update.handler';

/**
 * Starts the bot: getMe once (so a wrong token is reported at start), then, with
 * `TELEGRAM_MODE=polling`, long polling for development without a public URL. A Telegram outage at
 * start is logged, not fatal: SMS and the rest of the service keep running.
 */
@Injectable()
export class TelegramLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(TelegramLifecycle.name);
  private polling?: Promise<void>;

  constructor(
    @Inject(TELEGRAM_BOT) private readonly bot: Bot,
    @Inject(TelegramUpdateHandler) private readonly handler: TelegramUpdateHandler,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      if (!this.bot.isInited()) await this.bot.init();
      this.log.log(`telegram bot ready (${this.config.telegram?.mode ?? 'webhook'} mode)`);
    } catch (err) {
      this.log.error(`telegram getMe failed (${(err as { error_code?: number }).error_code ?? 'network'}); check TELEGRAM_BOT_TOKEN`);
      return;
    }
    // polling is a singleton of the worker part (a web process answers the webhook instead)
    if (this.config.telegram?.mode === 'polling' && runsWorkers(this.config)) this.startPolling();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.polling) return;
    await this.bot.stop();
    await this.polling.catch(() => undefined);
  }

  private startPolling(): void {
    this.bot.use(async (ctx) => {
      await this.handler.process(ctx.update);
    });
    this.bot.catch((err) => this.log.error(`telegram update failed: ${err.error instanceof Error ? err.error.name : 'error'}`));
    // bot.start deletes any webhook first: polling and a webhook cannot both be active.
    this.polling = this.bot.start({ allowed_updates: [...TELEGRAM_ALLOWED_UPDATES], drop_pending_updates: false });
    this.polling.catch((err: unknown) => this.log.error(`telegram polling stopped (${err instanceof Error ? err.name : 'error'})`));
  }
}
