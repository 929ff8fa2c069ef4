import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { HandleResult } from '../../conversations/inbound-message';
import { TRANSLATOR, Translator } from '../../content/translator.provider';
import type { Output } from '../../engine/engine.types';
import { renderSmsMessages } from '../sms/sms.renderer';
import { smsCost, type SmsEncoding } from '../../common/sms-segments';
import { renderTelegram } from '../telegram/telegram.renderer';
import { renderWhatsApp } from '../whatsapp/whatsapp.renderer';

/** One SMS exactly as the SMS channel would send it (after the SMS spelling), with what it costs. */
export interface SimulatorSms {
  text: string;
  encoding: SmsEncoding;
  segments: number;
  /** characters that made it UCS-2 (empty for GSM-7): what a content author would change. */
  nonGsm: string[];
}

/**
 * The simulator's one outbound message per turn: the turn's replies rendered each way (SMS, Telegram,
 * WhatsApp), side by side.
 * It is what the simulator's outbound queue carries and its sender keeps (SimulatorOutbox).
 */
export interface SimulatorRendering {
  sms: SimulatorSms[];
  telegram: ReturnType<typeof renderTelegram>;
  /** as the WhatsApp channel's own renderer makes them: text, reply buttons (≤ 3) or a list (≤ 10 rows). */
  whatsapp: ReturnType<typeof renderWhatsApp>;
}

/** What POST /simulator/messages answers (the page and `npm run chat` read it). */
export interface SimulatorReply extends SimulatorRendering {
  status: HandleResult['status'];
  language: string;
  /** false when the contact has opted out: a real channel would send nothing. */
  delivered: boolean;
}

/** Renders one conversation step each way, side by side. */
@Injectable()
export class SimulatorRenderer {
  constructor(
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The simulator channel's renderer (its outbound definition): a turn's outputs as the SMS, Telegram and WhatsApp channels would send them. */
  render(outputs: Output[], language: string): SimulatorRendering {
    const t = this.translator.t(language);
    const sms = renderSmsMessages(outputs, t, { language, spelling: this.config.sms.spelling, sourceOf: this.translator.sourceOf });
    return {
      sms: sms.map((m) => ({ ...m, nonGsm: smsCost(m.text).nonGsm })),
      telegram: renderTelegram(outputs, t),
      whatsapp: renderWhatsApp(outputs, t),
    };
  }
}

/**
 * The answer to one simulated message: what the turn decided (status, language, whether anything may
 * be sent) and what the simulator's outbound sender kept for it (nothing when nothing was queued).
 */
export function simulatorReply(result: Pick<HandleResult, 'status' | 'language' | 'deliver'>, kept: SimulatorRendering | undefined): SimulatorReply {
  const delivered = result.deliver !== false;
  return {
    status: result.status,
    language: result.language,
    delivered,
    sms: delivered && kept ? kept.sms : [],
    telegram: delivered && kept ? kept.telegram : [],
    whatsapp: delivered && kept ? (kept.whatsapp ?? []) : [],
  };
}
