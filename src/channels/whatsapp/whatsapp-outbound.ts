import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { TRANSLATOR, type Translator } from '../../content/translator.provider';
import { OutboundService } from '../../outbound/outbound.service';
import { OutboundJobKind, OutboundQueueName } from '../../outbound/outbound.types';
import { renderWhatsApp, type WhatsAppMessage } from './whatsapp.renderer';
import { WhatsAppSender } from './whatsapp.sender';
import { WhatsAppWindow } from './whatsapp-window';

/**
 * Cloud API throughput: 80 messages a second per business number by default (Meta, "Throughput");
 * what goes past it, or past what one person may receive in a short time, is answered 429 / 130429 /
 * 131056 and waited out by the sender.
 */
export const WHATSAPP_MESSAGES_PER_SECOND = 80;

/**
 * Makes the shared outbound queue WhatsApp's way out: rendered, recorded, queued, sent at most once;
 * a proactive message only inside her 24-hour window (WhatsAppWindow).
 */
@Injectable()
export class WhatsAppOutbound implements OnModuleInit {
  constructor(
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(WhatsAppSender) private readonly sender: WhatsAppSender,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(WhatsAppWindow) private readonly window: WhatsAppWindow,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.outbound.registerChannel<WhatsAppMessage>({
      channel: 'whatsapp',
      queue: OutboundQueueName.WhatsApp,
      render: (outputs, language) => renderWhatsApp(outputs, this.translator.t(language)).map((message) => ({ message })),
      sender: this.sender,
      limiter: { max: WHATSAPP_MESSAGES_PER_SECOND, durationMs: 1000 },
      // a reply answers the message she just sent; anything else must be inside her 24-hour window
      admit: async ({ kind, address }) => kind === OutboundJobKind.Reply || this.window.admitsProactive(address),
      retry: { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 },
    });
  }
}
