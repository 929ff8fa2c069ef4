import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { AddressCipher } from '../crypto/address-cipher';
import { BlindIndex } from '../crypto/blind-index';
import { forgetContext, type ForgetJobData } from './privacy-jobs';
import { PRIVACY_SETTINGS, type PrivacySettings } from './privacy.settings';
import { RedisTraces } from './redis-traces';
import { TelegramEraser } from './telegram-eraser';
import { TwilioRedactor } from './twilio-redactor';

/** What one clean-up did: counts only. */
export interface ForgetReport {
  redacted: number;
  deleted: number;
  failures: string[];
}

/**
 * Runs one erased contact's provider clean-up (the delayed job): Twilio bodies redacted, Telegram
 * messages deleted, then what Redis still holds about her once her last turn is over.
 */
@Injectable()
export class ProviderForgetter {
  private readonly log = new Logger(ProviderForgetter.name);
  private readonly twilio?: TwilioRedactor;
  private readonly telegram?: TelegramEraser;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(RedisTraces) private readonly traces: RedisTraces,
    @Inject(PRIVACY_SETTINGS) private readonly settings: PrivacySettings,
  ) {
    if (config.twilio) this.twilio = new TwilioRedactor(config.twilio);
    if (config.telegram) this.telegram = new TelegramEraser(config.telegram);
  }

  async forget(jobId: string, data: ForgetJobData): Promise<ForgetReport> {
    const address = this.cipher.decrypt(data.addressEnc, forgetContext(jobId));
    const report: ForgetReport = { redacted: 0, deleted: 0, failures: [] };
    const dedupIds = [data.dedupId];
    if (data.channel === 'sms' && this.twilio) {
      const r = await this.twilio.redact(address, data.smsSids);
      report.redacted = r.redacted;
      report.failures.push(...r.failedCodes);
      // SMS de-dup ids read `<provider>:<MessageSid>`; the erase message tells which provider prefix
      const provider = data.dedupId.includes(':') ? data.dedupId.slice(0, data.dedupId.lastIndexOf(':') + 1) : '';
      dedupIds.push(...r.inboundSids.map((sid) => provider + sid));
    }
    if (data.channel === 'telegram' && this.telegram) {
      const r = await this.telegram.deleteConversation(address, data.telegramMessageIds, this.settings.telegramMaxDeletes);
      report.deleted = r.deleted;
    }
    await this.traces.deleteDedup(data.channel, dedupIds);
    await this.traces.deleteKeysNaming(this.index.of(data.channel, address));
    await this.traces.deleteJobEvents(data.requestIds);
    this.log.log(`provider clean-up after an erasure: ${report.redacted} redacted, ${report.deleted} deleted, failures [${report.failures.join(', ')}]`);
    return report;
  }
}
