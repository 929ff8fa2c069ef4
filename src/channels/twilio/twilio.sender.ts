import type { Twilio } from 'twilio';
import type { Config } from '../../config/config';
import { countProviderError } from '../../metrics/process-metrics';
import { SendError, type SendRequest, type SendResult, type Sender } from '../../outbound/outbound.types';
import type { SmsMessage } from '../sms/sms-channel';
import { twilioRestClient } from './twilio-http.client';
import { TWILIO_STATUS_PATH } from './twilio-webhook.paths';

type TwilioConfig = NonNullable<Config['twilio']>;

/**
 * Sends one SMS through Twilio's Messages API with the official client, asking for delivery receipts
 * at PUBLIC_BASE_URL + /webhooks/twilio/status. Failures arrive already classified by the HTTP layer.
 */
export class TwilioSender implements Sender<SmsMessage> {
  private readonly client: Twilio;

  constructor(
    private readonly twilio: TwilioConfig,
    private readonly publicBaseUrl: string,
  ) {
    this.client = twilioRestClient(twilio);
  }

  async send(request: SendRequest<SmsMessage>): Promise<SendResult> {
    try {
      const message = await this.client.messages.create({
        to: request.address,
        from: this.twilio.from,
        body: request.message,
        statusCallback: `${this.publicBaseUrl}${TWILIO_STATUS_PATH}`,
      });
      return { providerId: message.sid, provider: 'twilio' };
    } catch (err) {
      if (err instanceof SendError) throw err;
      // Anything else happened after the request may have been accepted (e.g. an unreadable answer).
      throw countProviderError('twilio', new SendError('ambiguous', err instanceof Error ? err.name : 'error'));
    }
  }
}
