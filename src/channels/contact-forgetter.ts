import { Global, Injectable, Module } from '@nestjs/common';
import type { ChannelName } from '../common/channel-name';
import type { OutboundProvider } from '../outbound/outbound.types';

/** One message Sira sent her, as its outbound row recorded it (read while her rows still exist). */
export interface SentRecord {
  /** who sent it: null for rows sent before the column existed (backfilled by the migration). */
  provider: OutboundProvider | null;
  /** the SMS line it left by ('twilio', 'sms-gateway:orange'), when the channel has lines. */
  line: string | null;
  /** the provider's id of the message (Twilio SID, Telegram message_id, relay message id). */
  providerId: string;
  /** epoch ms, null when it never left `sending`. */
  sentAt: number | null;
}

/** What a channel needs to forget her: her address there, and what was sent to it. */
export interface ForgetContext {
  /** her phone number or chat id, in clear for this one call. */
  address: string;
  /** every message Sira sent her on this channel, by whichever provider; each forgetter picks its own. */
  sent: readonly SentRecord[];
  /** epoch ms of the clean-up (a provider's deletion window is counted from it). */
  now: number;
}

/** What one provider did: counts and codes only (a provider's error messages quote numbers). */
export interface ForgetResult {
  redacted: number;
  deleted: number;
  failures: string[];
  /** the de-dup ids (as the conversation shell keys them) of messages she sent that the provider listed. */
  inboundDedupIds: string[];
}

/**
 * A channel's part in an erasure: ask its provider to forget her conversation. Each adapter implements
 * it in its own folder and registers it at init; the privacy module only asks the registry, so it knows
 * no provider and imports no provider SDK. May throw when the provider could not be asked at all (the
 * clean-up job is then retried); a provider's refusal of one message is a failure code, not a throw.
 */
export interface ContactForgetter {
  readonly channel: ChannelName;
  readonly provider: OutboundProvider;
  forget(ctx: ForgetContext): Promise<ForgetResult>;
}

export function emptyForgetResult(): ForgetResult {
  return { redacted: 0, deleted: 0, failures: [], inboundDedupIds: [] };
}

/** Injection token of the ContactForgetters registry. */
export const CONTACT_FORGETTERS = Symbol('CONTACT_FORGETTERS');

/** The forgetters of the channels this configuration turned on, filled as their modules start. */
@Injectable()
export class ContactForgetters {
  private readonly all: ContactForgetter[] = [];

  register(forgetter: ContactForgetter): void {
    if (this.all.some((f) => f.channel === forgetter.channel && f.provider === forgetter.provider)) {
      throw new Error(`a ${forgetter.provider} forgetter for ${forgetter.channel} is already registered`);
    }
    this.all.push(forgetter);
  }

  of(channel: ChannelName): readonly ContactForgetter[] {
    return this.all.filter((f) => f.channel === channel);
  }
}

/** One registry for the whole app: the privacy module reads it, channel modules fill it. */
@Global()
@Module({
  providers: [ContactForgetters, { provide: CONTACT_FORGETTERS, useExisting: ContactForgetters }],
  exports: [CONTACT_FORGETTERS],
})
export class ContactForgettersModule {}
