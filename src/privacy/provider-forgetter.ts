import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { AddressCipher } from '../crypto/address-cipher';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { RedisKeys } from '../redis/redis-keys';
import { forgetContext, type ForgetJobData } from './privacy-jobs';
import { PRIVACY_SETTINGS, type PrivacySettings } from './privacy.settings';
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
 * messages deleted, and the de-dup key of her erase message removed once that turn is over.
 */
@Injectable()
export class ProviderForgetter {
  private readonly log = new Logger(ProviderForgetter.name);
  private readonly twilio?: TwilioRedactor;
  private readonly telegram?: TelegramEraser;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(PRIVACY_SETTINGS) private readonly settings: PrivacySettings,
  ) {
    if (config.twilio) this.twilio = new TwilioRedactor(config.twilio);
    if (config.telegram) this.telegram = new TelegramEraser(config.telegram);
  }

  async forget(jobId: string, data: ForgetJobData): Promise<ForgetReport> {
    const address = this.cipher.decrypt(data.addressEnc, forgetContext(jobId));
    const report: ForgetReport = { redacted: 0, deleted: 0, failures: [] };
    if (data.channel === 'sms' && this.twilio) {
      const r = await this.twilio.redact(address, data.smsSids);
      report.redacted = r.redacted;
      report.failures.push(...r.failedCodes);
    }
    if (data.channel === 'telegram' && this.telegram) {
      const r = await this.telegram.deleteConversation(address, data.telegramMessageIds, this.settings.telegramMaxDeletes);
      report.deleted = r.deleted;
    }
    await this.redis.del(this.keys.dedup(data.channel, data.dedupId));
    this.log.log(`provider clean-up after an erasure: ${report.redacted} redacted, ${report.deleted} deleted, failures [${report.failures.join(', ')}]`);
    return report;
  }
}
