import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { TRANSLATOR, type Translator } from '../../content/translator.provider';
import { OutboundService } from '../../outbound/outbound.service';
import { OutboundQueueName } from '../../outbound/outbound.types';
import type { TelegramMessage } from '../render.types';
import { TELEGRAM_PACING, type TelegramPacing } from './telegram-chat.pacer';
import { TelegramListen } from './telegram-listen';
import { renderTelegram } from './telegram.renderer';
import { TelegramSender } from './telegram.sender';

/**
 * Makes the shared outbound queue Telegram's way out: replies are rendered (HTML, buttons, long texts
 * split), recorded, queued and sent at most once, at most `perSecond` a second across processes.
 */
@Injectable()
export class TelegramOutbound implements OnModuleInit {
  constructor(
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(TelegramSender) private readonly sender: TelegramSender,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(TELEGRAM_PACING) private readonly pacing: TelegramPacing,
    @Inject(TelegramListen) private readonly listen: TelegramListen,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.outbound.registerChannel<TelegramMessage>({
      channel: 'telegram',
      queue: OutboundQueueName.Telegram,
      render: (outputs, language) => renderTelegram(outputs, this.translator.t(language)).map((message) => ({ message })),
      spoken: (outputs, language, contactId) => this.listen.spoken(outputs, language, contactId),
      sender: this.sender,
      limiter: { max: this.pacing.perSecond, durationMs: 1000 },
      retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
    });
  }
}
