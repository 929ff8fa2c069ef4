import type { Config } from '../../config/config';
import type { SmsGatewayLineEntry } from '../../config/sms-gateway-phones.schema';

/** Lines of the relay are named `sms-gateway:<id>` in the SMS channel (a contact's source). */
export const SMS_GATEWAY_LINE_PREFIX = 'sms-gateway:';

/** One SIM of one relay phone, as the adapter uses it. */
export interface SmsGatewayLine extends Omit<SmsGatewayLineEntry, 'phone' | 'segmentsPerMinute'> {
  /** the SMS channel's name of this line: `sms-gateway:<id>`. */
  line: string;
  phone: string;
  /** the pause one segment costs on this SIM. */
  segmentIntervalMs: number;
}

/**
 * The configured relay phones and their SIMs (SMS_GATEWAY_PHONES). A webhook names its phone in the
 * URL; an inbound SMS names its SIM (`simNumber`), which selects the line her replies leave by.
 */
export class SmsGatewayLines {
  private readonly lines: SmsGatewayLine[];

  constructor(config: Config['smsGateway']) {
    this.lines = (config?.lines ?? []).map(({ phone, segmentsPerMinute, ...entry }) => ({
      ...entry,
      line: `${SMS_GATEWAY_LINE_PREFIX}${entry.id}`,
      phone: phone ?? entry.id,
      segmentIntervalMs: Math.ceil(60_000 / (segmentsPerMinute ?? config!.segmentsPerMinute)),
    }));
  }

  all(): readonly SmsGatewayLine[] {
    return this.lines;
  }

  phones(): string[] {
    return [...new Set(this.lines.map((l) => l.phone))];
  }

  ofPhone(phone: string): SmsGatewayLine[] {
    return this.lines.filter((l) => l.phone === phone);
  }

  /** The key that signs this phone's webhooks; undefined for a phone that is not configured. */
  signingKeyOf(phone: string): string | undefined {
    return this.lines.find((l) => l.phone === phone)?.signingKey;
  }

  /** The line an SMS reached: the phone's SIM with that number, else the phone's first line. */
  inboundLine(phone: string, simNumber: number | null | undefined): SmsGatewayLine | undefined {
    const lines = this.ofPhone(phone);
    return lines.find((l) => simNumber != null && l.simNumber === simNumber) ?? lines[0];
  }
}
