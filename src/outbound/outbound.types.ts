import type { ChannelName } from '../common/channel-name';
import type { Output } from '../engine/engine.types';

/**
 * One BullMQ queue per channel; every queue and job name lives here. Names never contain ':' (BullMQ
 * uses it as its own key separator).
 */
export enum OutboundQueueName {
  Sms = 'outbound-sms',
  Telegram = 'outbound-telegram',
  WhatsApp = 'outbound-whatsapp',
  /** development only: the simulator's replies, kept for its page and `npm run chat`. */
  Simulator = 'outbound-simulator',
}

/** Job names double as the `<kind>` of job ids: `<kind>-<row id>-<attempt>`. */
export enum OutboundJobKind {
  /** an answer to a message she has just sent: goes first. */
  Reply = 'reply',
  /** anything Sira sends on its own initiative (callback confirmations, reminders). */
  Proactive = 'proactive',
  /**
   * a broadcast's notice to a subscriber (src/broadcasts): proactive in every check, but last in the
   * queue and outside the SMS caps her replies need (broadcasts book their own daily budget).
   */
  Broadcast = 'broadcast',
}

/** BullMQ priorities: lower runs first. */
export const JOB_PRIORITY: Record<OutboundJobKind, number> = {
  [OutboundJobKind.Reply]: 1,
  [OutboundJobKind.Proactive]: 10,
  [OutboundJobKind.Broadcast]: 20,
};

export type OutboundStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'unknown';
export const OUTBOUND_STATUSES: readonly OutboundStatus[] = ['queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'unknown'];

/**
 * What a job carries: ids and the bot's own rendered message, never her number in clear. `to` is her
 * address encrypted with AddressCipher under the context `outboundAddressContext(rowId)`; only the
 * sender decrypts it (before consent the contact row holds no address, so the job must carry it).
 */
export interface OutboundJobData<M = unknown> {
  rowId: string;
  /** null when the contact was erased by the message being answered (the erase confirmation). */
  contactId: string | null;
  kind: OutboundJobKind;
  to: string;
  message: M;
  /**
   * set when the claim of its row failed without an answer (it may have committed) and no provider call
   * followed: the row found `sending` is then given back rather than recorded `unknown` (OutboundProcessor).
   */
  claimUnconfirmed?: boolean;
  /**
   * set when a run whose claim stood (the provider may have been called) failed before the row left
   * `sending`: a later claim whose answer is lost is then never taken for one that can be given back.
   */
  claimSpent?: boolean;
}

/** What a sender receives: the job's message and her address, decrypted for this one call. */
export interface SendRequest<M = unknown> {
  rowId: string;
  contactId: string | null;
  address: string;
  message: M;
}

/** Who sent a message, recorded on its row (erasure asks that provider, and only it, to forget). */
export type OutboundProvider = 'twilio' | 'sms_gateway' | 'telegram' | 'simulator' | 'whatsapp';

export interface SendResult {
  /** the provider's id of the message (Twilio SM…, Telegram message_id), for receipts and erasure. */
  providerId: string;
  /** the provider that took it (optional for test senders; every real sender says). */
  provider?: OutboundProvider;
  /** the SMS line it left by ('twilio', 'sms-gateway:orange'), set by the SMS router. */
  line?: string;
}

/** A channel's way out. Throw a `SendError` to say what went wrong; anything else counts as ambiguous. */
export interface Sender<M = unknown> {
  send(request: SendRequest<M>): Promise<SendResult>;
}

/**
 * - retryable: the provider clearly did not accept it (429, 5xx, connection refused): retried with backoff.
 * - ambiguous: it may have been accepted (timeout, reset): status `unknown`, counted, never resent.
 * - blocked: she opted out at the carrier / blocked the bot: the contact is stopped.
 * - permanent: will never work (invalid number…): failed, not retried.
 */
export type SendErrorKind = 'retryable' | 'ambiguous' | 'blocked' | 'permanent';

export class SendError extends Error {
  constructor(
    readonly kind: SendErrorKind,
    /** provider error code or HTTP status, recorded in `error_code` (never a body or a number). */
    readonly code: string,
    /** for a 429: how long the provider asked us to wait. */
    readonly retryAfterMs?: number,
    /** for `blocked`: why, recorded as the contact's opt-out source ('carrier', 'blocked'). */
    readonly optOutSource?: string,
  ) {
    super(`send failed (${kind}, ${code})`);
    this.name = 'SendError';
  }
}

/** One rendered message and what it costs (segments/encoding are SMS notions; others leave them out). */
export interface RenderedMessage<M = unknown> {
  message: M;
  segments?: number;
  encoding?: string;
}

/** A refused reply in whose place the channel has already admitted (and booked) a notice she must get. */
export interface RefusedWithNotice {
  admitted: false;
  notice: Output[];
}

/**
 * Decides whether a message may be queued at all (caps, rate limits); refusals are the channel's to count.
 * A reply refused by her own cap may come back with the notice that tells her so (once per window).
 */
export type AdmitFn = (context: {
  contactId: string | null;
  address: string;
  kind: OutboundJobKind;
  segments: number;
  language: string;
  /** the rendered message (WhatsApp: whether an approved template stands for it outside the window). */
  message: unknown;
}) => Promise<boolean | RefusedWithNotice>;

/** Everything the outbound queue needs to know about a channel. */
export interface OutboundChannel<M = unknown> {
  channel: ChannelName;
  queue: OutboundQueueName;
  /** renders engine outputs in her language into the messages to send, in order. */
  render(outputs: Output[], language: string): RenderedMessage<M>[];
  sender: Sender<M>;
  /**
   * Messages said before a reply's rendered ones (listen mode: its recorded prompts as voice messages),
   * for her own contact; replies only, never a message Sira sends first.
   */
  spoken?(outputs: Output[], language: string, contactId: string | null): Promise<RenderedMessage<M>[]>;
  /** BullMQ limiter: at most `max` jobs per `durationMs`, across every process. */
  limiter: { max: number; durationMs: number };
  /** optional pause of the whole queue after a send, e.g. SMS pacing by segment: segments × interval. */
  pauseAfterMs?(rendered: { segments: number | null }): number;
  admit?: AdmitFn;
  /** attempts for retryable failures (default 5) and the backoff bounds. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

/** The AddressCipher context that binds an encrypted address to one outbound row. */
export function outboundAddressContext(rowId: string): string {
  return `outbound:${rowId}`;
}

/** `<kind>-<row id>-<attempt>`: no ':' (BullMQ's separator), unique per queued attempt. */
export function outboundJobId(kind: OutboundJobKind, rowId: string, attempt = 1): string {
  return `${kind}-${rowId}-${attempt}`;
}
