import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { TRANSLATOR, type Translator } from '../../content/translator.provider';
import { OutboundService } from '../../outbound/outbound.service';
import { OutboundJobKind, OutboundQueueName } from '../../outbound/outbound.types';
import { renderWhatsApp, type WhatsAppMessage } from './whatsapp.renderer';
import { WhatsAppSender } from './whatsapp.sender';
import { WhatsAppListen } from './whatsapp-audio';
import { WhatsAppReachability } from './whatsapp-reachability';
import { templateFor, type WhatsAppOutgoing } from './whatsapp-templates';
import { WhatsAppWindow } from './whatsapp-window';

/**
 * Cloud API throughput: 80 messages a second per business number by default (Meta, "Throughput");
 * what goes past it, or past what one person may receive in a short time, is answered 429 / 130429 /
 * 131056 and waited out by the sender.
 */
export const WHATSAPP_MESSAGES_PER_SECOND = 80;

/**
 * Makes the shared outbound queue WhatsApp's way out: rendered, recorded, queued, sent at most once;
 * a proactive message only inside her 24-hour window (WhatsAppWindow), or outside it as the approved
 * template configured for its text (WHATSAPP_TEMPLATES), never to someone marked unreachable.
 */
@Injectable()
export class WhatsAppOutbound implements OnModuleInit {
  constructor(
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(WhatsAppSender) private readonly sender: WhatsAppSender,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(WhatsAppWindow) private readonly window: WhatsAppWindow,
    @Inject(WhatsAppReachability) private readonly reachability: WhatsAppReachability,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(WhatsAppListen) private readonly listen: WhatsAppListen,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.outbound.registerChannel<WhatsAppMessage>({
      channel: 'whatsapp',
      queue: OutboundQueueName.WhatsApp,
      render: (outputs, language) => {
        const messages = renderWhatsApp(outputs, this.translator.t(language));
        // an approved template can stand only for a message that is one configured proactive text
        const template = messages.length === 1 ? templateFor(outputs, language, this.config.whatsapp?.templates ?? {}) : undefined;
        return messages.map((message): { message: WhatsAppOutgoing } => ({ message: template ? { ...message, template } : message }));
      },
      spoken: (outputs, language, contactId) => this.listen.spoken(outputs, language, contactId),
      sender: this.sender,
      limiter: { max: WHATSAPP_MESSAGES_PER_SECOND, durationMs: 1000 },
      // a reply answers the message she just sent; anything else must be inside her 24-hour window
      admit: async ({ kind, address, message }) => kind === OutboundJobKind.Reply || this.admitProactive(address, message as WhatsAppOutgoing),
      retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
    });
  }

  /** Not to someone marked unreachable; else inside her window, or outside it as an approved template. */
  private async admitProactive(address: string, message: WhatsAppOutgoing): Promise<boolean> {
    if (await this.reachability.isUnreachable(address)) {
      await this.window.notSent('she is marked unreachable');
      return false;
    }
    return this.window.admitsProactive(address, Boolean(message.template));
  }
}
