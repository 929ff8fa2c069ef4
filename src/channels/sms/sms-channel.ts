import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { TRANSLATOR, type Translator } from '../../content/translator.provider';
import { OutboundService } from '../../outbound/outbound.service';
import { OutboundJobKind, OutboundQueueName, type AdmitFn, type OutboundChannel, type Sender } from '../../outbound/outbound.types';
import { CAP_WINDOWS, capNotice } from './sms-cap-notice';
import { SmsGuards } from './sms-guards';
import { SmsRouter } from './sms-router';
import { renderSmsMessages } from './sms.renderer';

/** An SMS body, as queued and handed to the provider's sender. */
export type SmsMessage = string;

/**
 * Connects a provider's sender to the outbound queue as the 'sms' channel: rendering with her
 * language's SMS spelling, pacing by segment (SMS_SEGMENTS_PER_SECOND), and the guards (country,
 * rate, daily caps) before anything is queued. Each provider adapter calls `useProvider` at init
 * with every line it answers from (a provider account, each SIM of a relay phone); several providers
 * run side by side and a reply leaves by the line she wrote through (SmsRouter).
 */
@Injectable()
export class SmsChannel {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(SmsGuards) private readonly guards: SmsGuards,
    @Inject(SmsRouter) private readonly router: SmsRouter,
  ) {}

  /** Adds a line; the first one also starts the channel's outbound queue, with the router as its sender. */
  async useProvider(line: string, sender: Sender<SmsMessage>): Promise<void> {
    const first = this.router.lineIds().length === 0;
    this.router.add(line, sender);
    if (first) await this.outbound.registerChannel(this.definition(this.router));
  }

  definition(sender: Sender<SmsMessage>): OutboundChannel<SmsMessage> {
    const segmentMs = Math.ceil(1000 / this.config.sms.segmentsPerSecond);
    const render = (outputs: Parameters<OutboundChannel['render']>[0], language: string) =>
      renderSmsMessages(outputs, this.translator.t(language), { language, spelling: this.config.sms.spelling, sourceOf: this.translator.sourceOf }).map((r) => ({
        message: r.text,
        segments: r.segments,
        encoding: r.encoding,
      }));
    return {
      channel: 'sms',
      queue: OutboundQueueName.Sms,
      render,
      sender,
      // At most one send per interval across processes, and after each send the queue rests one
      // interval per segment, counted from the send (the provider spends them from then on).
      limiter: { max: 1, durationMs: segmentMs },
      pauseAfterMs: ({ segments }) => Math.max(segments ?? 1, 1) * segmentMs,
      admit: this.admitter(render),
    };
  }

  /**
   * Proactive messages pass the guards or not; a reply her own cap refuses may instead bring the one
   * notice of that cap, whose segments (the longer notice in her language) the guard books with it.
   */
  private admitter(render: OutboundChannel['render']): AdmitFn {
    return async ({ address, segments, kind, language }) => {
      // a broadcast books its own budget (src/broadcasts), never the caps her replies need
      if (kind === OutboundJobKind.Broadcast) return this.guards.countryAllowed(address) || this.guards.refuse('country');
      if (kind !== OutboundJobKind.Reply) return this.guards.admitOutgoing(address, segments);
      const noticeSegments = Math.max(...CAP_WINDOWS.map((w) => render(capNotice(w), language).reduce((n, r) => n + (r.segments ?? 1), 0)));
      const { admitted, notice } = await this.guards.admitReply(address, segments, noticeSegments);
      return notice ? { admitted: false, notice: capNotice(notice) } : admitted;
    };
  }
}
