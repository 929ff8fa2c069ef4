import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { CONTENT } from '../content/content.module';
import type { LoadedContent } from '../content/content.types';
import { TRANSLATOR, type Translator } from '../content/translator.provider';

export type StaffNotice = 'new_request' | 'escalated';

/**
 * Tells staff that a request waits. The dashboard reads the table itself; when a staff Telegram chat
 * is configured it also gets one line: "new request — urgent: yes/no" (or "waiting too long"), and
 * nothing more: no topic, no code, no number, so a staff phone that is lost or seized reveals nothing.
 */
@Injectable()
export class StaffNotifier {
  private readonly log = new Logger(StaffNotifier.name);
  /** notices since start (kind and urgency only), for tests and counters. */
  readonly sent: { notice: StaffNotice; urgent: boolean }[] = [];

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(TRANSLATOR) private readonly translator: Translator,
    @Inject(CONTENT) private readonly content: Pick<LoadedContent, 'base'>,
  ) {}

  async notify(notice: StaffNotice, urgent: boolean): Promise<void> {
    this.sent.push({ notice, urgent });
    const chatId = this.config.callbacks.staffTelegramChatId;
    const telegram = this.config.telegram;
    if (!chatId || !telegram) return;
    const t = this.translator.t(this.content.base);
    const text = t(`callback:staff.${notice}`, { urgent: t(urgent ? 'callback:staff.yes' : 'callback:staff.no') });
    const res = await fetch(`${telegram.apiRoot}/bot${telegram.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text }),
      signal: AbortSignal.timeout(10_000),
    });
    // a failed notice is retried by BullMQ (the job throws); the status code is all that is logged
    if (!res.ok) throw new Error(`staff Telegram notice refused (HTTP ${res.status})`);
    this.log.log(`staff notified (${notice})`);
  }
}
