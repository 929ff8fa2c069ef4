import type { ChannelName } from '../common/channel-name';
import type { EngineEvent, Input, Output } from '../engine/engine.types';

/** What every channel adapter turns a provider request into. */
export interface InboundMessage {
  channel: ChannelName;
  /** the provider's id of this message (Twilio MessageSid, Telegram update_id, simulator uuid): de-dup key. */
  providerMessageId: string;
  /** SMS: E.164 number; Telegram: chat id; simulator: simulated number. Never logged, never a Redis key. */
  address: string;
  input: Input;
  /** epoch ms when the provider says it was received (or when we received it). */
  receivedAt: number;
  /** the provider it came through ('twilio', 'telegram', …), recorded on a new contact; default: the channel. */
  source?: string;
  /**
   * An opt-out source that her writing lifts (Telegram: 'blocked', recorded when she blocked the bot;
   * writing again is consent to an answer). A STOP keyword is never lifted this way, only by START.
   */
  liftsOptOut?: string;
}

/** The result of handling one inbound message. */
export interface HandleResult {
  /** 'duplicate': already processed or in flight; 'deferred': the caller asked to keep it for later. Nothing was done. */
  status: 'processed' | 'duplicate' | 'deferred';
  /** the contact's language after the step (for rendering). */
  language: string;
  /** what to send; empty when `deliver` is false. */
  outputs: Output[];
  /**
   * false when nothing may be sent: a duplicate, or a contact who has opted out (after STOP nothing
   * is sent until START; the STOP confirmation itself is delivered). Channels send only when true.
   */
  deliver: boolean;
  /** the types of the engine events applied (no personal data), for logs and tests. */
  events: EngineEvent['type'][];
}
