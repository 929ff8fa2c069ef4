import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import type { HandleResult } from '../../conversations/inbound-message';
import { TRANSLATOR, Translator } from '../../content/translator.provider';
import { renderSmsMessages } from '../sms/sms.renderer';
import { smsCost, type SmsEncoding } from '../../common/sms-segments';
import { renderTelegram } from '../telegram/telegram.renderer';

/** One SMS exactly as the SMS channel would send it (after the SMS spelling), with what it costs. */
export interface SimulatorSms {
  text: string;
  encoding: SmsEncoding;
  segments: number;
  /** characters that made it UCS-2 (empty for GSM-7): what a content author would change. */
  nonGsm: string[];
}

export interface SimulatorReply {
  status: HandleResult['status'];
  language: string;
  /** false when the contact has opted out: a real channel would send nothing. */
  delivered: boolean;
  sms: SimulatorSms[];
  telegram: ReturnType<typeof renderTelegram>;
}

/** Renders one conversation step both ways, side by side. */
@Injectable()
export class SimulatorRenderer {
  constructor(
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  render(result: HandleResult): SimulatorReply {
    const t = this.translator.t(result.language);
    const delivered = result.deliver !== false;
    const outputs = delivered ? result.outputs : [];
    const sms = renderSmsMessages(outputs, t, { language: result.language, spelling: this.config.sms.spelling, sourceOf: this.translator.sourceOf });
    return {
      status: result.status,
      language: result.language,
      delivered,
      sms: sms.map((m) => ({ ...m, nonGsm: smsCost(m.text).nonGsm })),
      telegram: renderTelegram(outputs, t),
    };
  }
}
