import { Inject, Injectable } from '@nestjs/common';
import type { HandleResult } from '../../conversations/inbound-message';
import { TRANSLATOR, Translator } from '../../content/translator.provider';
import { renderSms } from '../sms/sms.renderer';
import { renderTelegram } from '../telegram/telegram.renderer';

export interface SimulatorReply {
  status: HandleResult['status'];
  language: string;
  /** false when the contact has opted out: a real channel would send nothing. */
  delivered: boolean;
  sms: string[];
  telegram: ReturnType<typeof renderTelegram>;
}

/** Renders one conversation step both ways, side by side. */
@Injectable()
export class SimulatorRenderer {
  constructor(@Inject(TRANSLATOR) private readonly translator: Translator) {}

  render(result: HandleResult): SimulatorReply {
    const t = this.translator.t(result.language);
    const delivered = result.deliver !== false;
    const outputs = delivered ? result.outputs : [];
    return {
      status: result.status,
      language: result.language,
      delivered,
      sms: renderSms(outputs, t),
      telegram: renderTelegram(outputs, t),
    };
  }
}
