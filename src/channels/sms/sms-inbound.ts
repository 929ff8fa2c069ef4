import type { InboundMessage } from '../../conversations/inbound-message';
import { normaliseSmsKeyword } from './sms-keywords';

/**
 * An SMS as any provider delivers it (Twilio, a local aggregator, a relay phone): what a provider
 * adapter produces after verifying the request, before the provider-neutral SMS channel takes over.
 */
export interface SmsInbound {
  /**
   * the line it came through: 'twilio', 'sms-gateway:orange' (one SIM of a relay phone), …; recorded
   * on a new contact as her source, and the line her replies leave by.
   */
  provider: string;
  /** the provider's id of this message: the de-duplication key. */
  providerMessageId: string;
  /** her number as the provider gives it (normalised to E.164 later; never logged). */
  from: string;
  /** the service number she wrote to. */
  to: string;
  text: string;
  /** pictures or other media she attached (not read: the reply asks for text). */
  mediaCount: number;
  receivedAt: number;
}

/** The de-dup id of an SMS: its line, then the provider's id (a provider's forgetter names hers the same way). */
export function smsDedupId(line: string, providerMessageId: string): string {
  return `${line}:${providerMessageId}`;
}

export function toInboundMessage(sms: SmsInbound): InboundMessage {
  return {
    channel: 'sms',
    providerMessageId: smsDedupId(sms.provider, sms.providerMessageId),
    address: sms.from,
    input: { kind: 'text', text: normaliseSmsKeyword(sms.text) },
    receivedAt: sms.receivedAt,
    source: sms.provider,
  };
}
