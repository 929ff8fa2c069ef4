import { Inject, Injectable } from '@nestjs/common';
import type { Twilio } from 'twilio';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { twilioRestClient } from '../twilio/twilio-http.client';
import type { VoiceDialer } from '../voice/voice-dialer';
import { TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_STATUS_PATH } from './twilio-voice.paths';

/**
 * Return calls through Twilio's REST `Calls` API, from Sira's first voice number, with answering-machine
 * detection (`machineDetection: Enable`): the answered webhook hangs up on a machine, so no message is
 * ever left on a phone someone else may check.
 */
@Injectable()
export class TwilioVoiceDialer implements VoiceDialer {
  private readonly client: Twilio;
  private readonly from: string;
  private readonly base: string;

  constructor(@Inject(CONFIG) config: Config) {
    this.client = twilioRestClient(config.twilio!);
    this.from = config.voice!.numbers[0];
    this.base = config.http.publicBaseUrl;
  }

  async dial(to: string): Promise<void> {
    await this.client.calls.create({
      to,
      from: this.from,
      url: `${this.base}${TWILIO_VOICE_ANSWERED_PATH}`,
      method: 'POST',
      machineDetection: 'Enable',
      statusCallback: `${this.base}${TWILIO_VOICE_STATUS_PATH}`,
      statusCallbackMethod: 'POST',
    });
  }
}
