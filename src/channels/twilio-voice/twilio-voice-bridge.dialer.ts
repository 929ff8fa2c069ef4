import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Twilio } from 'twilio';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { twilioFailureCode, twilioRestClient } from '../twilio/twilio-http.client';
import { StaffCallLine, type StaffCallDialer } from '../voice/staff-call.port';
import { TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH } from './twilio-voice-bridge.paths';

/** Seconds the agent's phone rings before Twilio gives up. */
const AGENT_RING_S = 30;

/**
 * The first leg of a call through Sira, by Twilio's REST `Calls` API: from Sira's first voice number to
 * the agent's own phone, with answering-machine detection (her voicemail must never be bridged to the
 * woman). Registers itself on the StaffCallLine: with this module loaded, staff see "Appeler via Sira".
 */
@Injectable()
export class TwilioVoiceBridgeDialer implements StaffCallDialer, OnModuleInit {
  private readonly client: Twilio;
  private readonly from: string;
  private readonly base: string;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(StaffCallLine) private readonly line: StaffCallLine,
  ) {
    this.client = twilioRestClient(config.twilio!);
    this.from = config.voice!.numbers[0];
    this.base = config.http.publicBaseUrl;
  }

  onModuleInit(): void {
    this.line.registerDialer(this);
  }

  async callAgent(agentNumber: string, callId: string): Promise<void> {
    const query = `?c=${encodeURIComponent(callId)}`;
    await this.client.calls.create({
      to: agentNumber,
      from: this.from,
      url: `${this.base}${TWILIO_VOICE_BRIDGE_PATH}${query}`,
      method: 'POST',
      machineDetection: 'Enable',
      timeout: AGENT_RING_S,
      statusCallback: `${this.base}${TWILIO_VOICE_BRIDGE_STATUS_PATH}${query}`,
      statusCallbackMethod: 'POST',
    });
  }

  /** Deletes each call (and its logs, which hold the TwiML that dialled her); one already gone (20404) counts as done. */
  async forgetCalls(providerCallIds: string[]): Promise<{ deleted: number; failures: string[] }> {
    const result = { deleted: 0, failures: [] as string[] };
    for (const sid of providerCallIds) {
      try {
        await this.client.calls(sid).remove();
        result.deleted++;
      } catch (err) {
        const code = twilioFailureCode(err);
        if (code !== '20404') result.failures.push(code);
      }
    }
    return result;
  }
}
