import { Twilio } from 'twilio';
import type { Config } from '../config/config';
import { TwilioHttpClient } from '../channels/twilio/twilio-http.client';
import { SendError } from '../outbound/outbound.types';

type TwilioConfig = NonNullable<Config['twilio']>;

/** What a redaction pass did: counts and Twilio error codes only (Twilio's messages quote numbers). */
export interface RedactionReport {
  redacted: number;
  failedCodes: string[];
  /** SIDs of the messages she sent (their de-dup keys are named by them). */
  inboundSids: string[];
}

/**
 * Asks Twilio to forget the bodies of her conversation: every message Sira sent her (SIDs from the
 * outbound table) and every message she sent (listed by her number), each updated with an empty Body
 * — Twilio's documented redaction. Uses the official client and the same HTTP layer as the sender.
 */
export class TwilioRedactor {
  private readonly client: Twilio;

  constructor(private readonly twilio: TwilioConfig) {
    this.client = new Twilio(twilio.accountSid, twilio.authToken, {
      httpClient: new TwilioHttpClient(twilio.apiBaseUrl, twilio.timeoutMs),
      autoRetry: false,
    });
  }

  async redact(address: string, sentSids: readonly string[]): Promise<RedactionReport> {
    const report: RedactionReport = { redacted: 0, failedCodes: [], inboundSids: [] };
    // Only Twilio's own message ids: another SMS line (the Android relay) records its row ids in the
    // same column, and those must never be sent to Twilio.
    const sids = new Set(sentSids.filter((sid) => TWILIO_MESSAGE_SID.test(sid)));
    try {
      for (const m of await this.client.messages.list({ from: address, to: this.twilio.from, limit: 500 })) {
        sids.add(m.sid);
        report.inboundSids.push(m.sid);
      }
    } catch (err) {
      report.failedCodes.push(codeOf(err));
    }
    for (const sid of sids) {
      try {
        await this.client.messages(sid).update({ body: '' });
        report.redacted++;
      } catch (err) {
        report.failedCodes.push(codeOf(err));
      }
    }
    return report;
  }
}

const TWILIO_MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/i;

/** A code, never an error message: Twilio's messages name the number they failed on. */
function codeOf(err: unknown): string {
  if (err instanceof SendError) return err.code;
  return err instanceof Error ? err.name : 'error';
}
