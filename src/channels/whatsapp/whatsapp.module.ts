import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { Config } from '../../config/config';
import { ContactsModule } from '../../contacts/contacts.module';
import { translatorProvider } from '../../content/translator.provider';
import { ConversationsModule } from '../../conversations/conversations.module';
import { OutboundModule } from '../../outbound/outbound.module';
import { RecordingsModule } from '../../recordings/recordings.module';
import { ListenVoices } from '../listen-voices';
import { ContactForgettersModule } from '../contact-forgetter';
import { WhatsAppAudio, WhatsAppListen } from './whatsapp-audio';
import { WhatsAppInboundHandler } from './whatsapp-inbound.handler';
import { WhatsAppOutbound } from './whatsapp-outbound';
import { WhatsAppReachability } from './whatsapp-reachability';
import { WhatsAppWindow } from './whatsapp-window';
import { WhatsAppWebhookController } from './whatsapp-webhook.controller';
import { WhatsAppForgetter } from './whatsapp.forgetter';
import { DEFAULT_WHATSAPP_RETRY, WHATSAPP_RETRY, WhatsAppSender } from './whatsapp.sender';

/**
 * The WhatsApp channel (Business Cloud API), on when WHATSAPP_ACCESS_TOKEN is set. Production refuses
 * to start without the app secret and the verify token (config.schema.ts); in development without the
 * app secret every webhook POST is refused, since none can be checked.
 */
@Module({})
export class WhatsAppModule {
  static forRoot(config: Config): DynamicModule {
    const whatsapp = config.whatsapp;
    if (!whatsapp) throw new Error('WhatsAppModule needs WHATSAPP_ACCESS_TOKEN');
    if (!whatsapp.appSecret) new Logger(WhatsAppModule.name).warn('WHATSAPP_APP_SECRET is not set: every WhatsApp webhook POST is refused');
    return {
      module: WhatsAppModule,
      imports: [ConversationsModule, ContactsModule, OutboundModule, ContactForgettersModule, RecordingsModule],
      controllers: [WhatsAppWebhookController],
      providers: [
        translatorProvider,
        { provide: WHATSAPP_RETRY, useValue: DEFAULT_WHATSAPP_RETRY },
        WhatsAppWindow,
        WhatsAppReachability,
        ListenVoices,
        WhatsAppListen,
        WhatsAppAudio,
        WhatsAppSender,
        WhatsAppOutbound,
        WhatsAppInboundHandler,
        WhatsAppForgetter,
      ],
      exports: [WhatsAppWindow, WhatsAppReachability],
    };
  }
}
