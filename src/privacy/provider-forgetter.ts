import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONTACT_FORGETTERS, type ContactForgetters } from '../channels/contact-forgetter';
import { CLOCK, type Clock } from '../common/clock';
import { AddressCipher } from '../crypto/address-cipher';
import { BlindIndex } from '../crypto/blind-index';
import { forgetContext, type ForgetJobData } from './privacy-jobs';
import { RedisTraces } from './redis-traces';

/** What one clean-up did: counts only. */
export interface ForgetReport {
  redacted: number;
  deleted: number;
  failures: string[];
}

/**
 * Runs one erased contact's provider clean-up (the delayed job): every provider of her channel is asked
 * to forget (each channel adapter's ContactForgetter: it picks the messages it sent), then what Redis
 * still holds about her once her last turn is over. Knows no provider itself.
 */
@Injectable()
export class ProviderForgetter {
  private readonly log = new Logger(ProviderForgetter.name);

  constructor(
    @Inject(CONTACT_FORGETTERS) private readonly forgetters: ContactForgetters,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(RedisTraces) private readonly traces: RedisTraces,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async forget(jobId: string, data: ForgetJobData): Promise<ForgetReport> {
    const address = this.cipher.decrypt(data.addressEnc, forgetContext(jobId));
    const report: ForgetReport = { redacted: 0, deleted: 0, failures: [] };
    const dedupIds = [data.dedupId];
    // `sent` is absent from a job queued by a version before it (those rows are forgotten at Redis only)
    const ctx = { address, sent: data.sent ?? [], now: this.clock.now() };
    for (const forgetter of this.forgetters.of(data.channel)) {
      const r = await forgetter.forget(ctx);
      report.redacted += r.redacted;
      report.deleted += r.deleted;
      report.failures.push(...r.failures);
      dedupIds.push(...r.inboundDedupIds);
    }
    await this.traces.deleteDedup(data.channel, dedupIds);
    await this.traces.deleteKeysNaming(this.index.of(data.channel, address));
    await this.traces.deleteJobEvents(data.requestIds);
    this.log.log(`provider clean-up after an erasure: ${report.redacted} redacted, ${report.deleted} deleted, failures [${report.failures.join(', ')}]`);
    return report;
  }
}
