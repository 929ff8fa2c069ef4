import { DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../../config/config';
import { ConversationsModule } from '../../conversations/conversations.module';
import { ContactsModule } from '../../contacts/contacts.module';
import { translatorProvider } from '../../content/translator.provider';
import { createTelegramBot, TELEGRAM_BOT } from './telegram.bot';
import { TelegramContacts } from './telegram-contacts';
import { TelegramGroups } from './telegram-groups';
import { TelegramLifecycle } from './telegram-lifecycle';
import { TelegramOnce } from './telegram-once';
import { TelegramUpdateHandler } from './telegram-update.handler';
import { TelegramWebhookController } from './telegram-webhook.controller';
import { OutboundModule } from '../../outbound/outbound.module';
import { DEFAULT_TELEGRAM_PACING, TELEGRAM_PACING, TelegramChatPacer } from './telegram-chat.pacer';
import { TelegramOutbound } from './telegram-outbound';
import { TelegramSender } from './telegram.sender';
import { ContactForgettersModule } from '../contact-forgetter';
import { TelegramForgetter } from './telegram.forgetter';
import { RecordingsModule } from '../../recordings/recordings.module';
import { ListenVoices } from '../listen-voices';
import { TelegramListen } from './telegram-listen';
import { TelegramVoice } from './telegram-voice';

/**
 * The Telegram channel, on when TELEGRAM_BOT_TOKEN is set. Webhook mode (the default) needs
 * TELEGRAM_WEBHOOK_SECRET: without it anyone could post updates, so the start is refused.
 */
@Module({})
export class TelegramModule {
  static forRoot(config: Config): DynamicModule {
    const telegram = config.telegram;
    if (!telegram) throw new Error('TelegramModule needs TELEGRAM_BOT_TOKEN');
    const webhook = telegram.mode === 'webhook';
    if (webhook && !telegram.webhookSecret) {
      throw new Error('TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_MODE=webhook (or set TELEGRAM_MODE=polling)');
    }
    return {
      module: TelegramModule,
      imports: [ConversationsModule, ContactsModule, OutboundModule, ContactForgettersModule, RecordingsModule],
      controllers: webhook ? [TelegramWebhookController] : [],
      providers: [
        { provide: TELEGRAM_BOT, useFactory: () => createTelegramBot(telegram) },
        translatorProvider,
        TelegramOnce,
        TelegramContacts,
        TelegramGroups,
        TelegramUpdateHandler,
        TelegramLifecycle,
        { provide: TELEGRAM_PACING, useValue: DEFAULT_TELEGRAM_PACING },
        TelegramChatPacer,
        ListenVoices,
        TelegramListen,
        TelegramVoice,
        TelegramSender,
        TelegramOutbound,
        TelegramForgetter,
      ],
      exports: [TELEGRAM_BOT],
    };
  }
}
