import type { Contact } from '../contacts/contact';
import type { EngineEvent } from '../engine/engine.types';
import type { Settlement } from './conversation-hooks';
import type { InboundMessage } from './inbound-message';

/**
 * What a channel learns about a contact outside the conversation: she blocked the bot (or came back),
 * her carrier opted her out (Twilio 21610), a provider refused to send to her for good.
 */
export type ChannelFact =
  | { type: 'channel_blocked'; source: string }
  | { type: 'channel_unblocked'; source: string }
  | { type: 'carrier_opted_out' }
  | { type: 'send_refused'; source: string }
  /** repeated undeliverable errors (WhatsApp sends no "blocked" event): not stopped, proactive messages held. */
  | { type: 'channel_unreachable'; source: string }
  /** she wrote again: the unreachable mark goes. */
  | { type: 'channel_reachable'; source: string };

/** Every change to a contact's state: the engine's events and the channels' facts, applied one way. */
export type ContactEvent = EngineEvent | ChannelFact;
export type ContactEventType = ContactEvent['type'];
export type ContactEventOf<T extends ContactEventType> = Extract<ContactEvent, { type: T }>;

/** What a handler sees: the contact as the events before left her, and the message being answered (if any). */
export interface ContactEventContext {
  contact: Contact;
  blindIndex: string;
  /** the message of the turn; absent for channel facts submitted outside a turn. */
  msg?: InboundMessage;
}

/**
 * What a handler changed: the contact after the event (null: she is erased, nothing after this may
 * recreate her), and how outputs awaiting the event are said (see conversation-hooks.ts).
 */
export interface ContactEventOutcome {
  contact?: Contact | null;
  settlement?: Settlement;
}

/**
 * `owner` applies the event (exactly one per event type in a whole application); `before` runs first,
 * while her rows still exist (e.g. queued jobs and provider copies forgotten before an erasure).
 */
export type HandlerPhase = 'owner' | 'before';

/** Events with nothing durable to record (the session carries them, or a reply does). */
export const NO_DURABLE_EFFECT: readonly ContactEventType[] = ['conversation_expired', 'conversation_restarted', 'consent_given', 'distress_heard'];

/**
 * Events owned by a channel that a deployment may leave off (return calls: the voice channel). Without
 * their owner the flow never emits them (the owner also reports the fact that offers them), so the
 * start-up check does not require one; two owners are still refused.
 */
export const OWNED_BY_OPTIONAL_CHANNEL: readonly ContactEventType[] = ['return_call_requested', 'channel_unreachable', 'channel_reachable'];

/** Every event type (a record, so the compiler says when a new event is missing here). */
const ALL_TYPES: Record<ContactEventType, true> = {
  language_changed: true,
  callback_requested: true,
  consent_given: true,
  callback_changed: true,
  opted_out: true,
  opted_in: true,
  erase_requested: true,
  consent_withdrawn: true,
  proactive_changed: true,
  return_call_requested: true,
  listen_mode_changed: true,
  news_subscribed: true,
  news_stopped: true,
  news_renewed: true,
  conversation_expired: true,
  conversation_restarted: true,
  distress_heard: true,
  channel_blocked: true,
  channel_unblocked: true,
  carrier_opted_out: true,
  send_refused: true,
  channel_unreachable: true,
  channel_reachable: true,
};
export const CONTACT_EVENT_TYPES = Object.keys(ALL_TYPES) as ContactEventType[];
