import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, UnauthorizedException } from '@nestjs/common';
import type { Update } from 'grammy/types';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { TelegramUpdateHandler } from './telegram-update.handler';
import { secretTokenMatches } from './telegram-secret';

/**
 * `POST /webhooks/telegram`. Only Telegram knows the secret token given at setWebhook; anything
 * without it is refused before a single field is read. 200 means "handled, do not resend"; an error
 * (database down…) answers 500 so Telegram delivers the update again.
 */
@Controller('webhooks')
export class TelegramWebhookController {
  constructor(
    @Inject(TelegramUpdateHandler) private readonly handler: TelegramUpdateHandler,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Post('telegram')
  @HttpCode(200)
  async receive(@Headers('x-telegram-bot-api-secret-token') token: unknown, @Body() body: unknown): Promise<{ ok: true }> {
    if (!secretTokenMatches(this.config.telegram?.webhookSecret, token)) throw new UnauthorizedException();
    await this.handler.process(asUpdate(body));
    return { ok: true };
  }
}

function asUpdate(body: unknown): Update {
  const id = (body as { update_id?: unknown } | null)?.update_id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw new BadRequestException('invalid update');
  return body as Update;
}
