/**
 * What Sira counts, and the shape of one counter's key. Every part is closed vocabulary (ids from the
 * flows, language codes, channel names, topics, outcomes, buckets), checked by `fieldOf`: a part that
 * could be free text, a number or a code is refused, so nothing about a woman can become a key.
 */
export enum InsightMetric {
  /** a conversation began (a first message, /start, after an end or expiry); flow/node: where it landed. */
  ConversationStarted = 'conversation_started',
  /** she entered a flow (flow/node: the first node of it she was shown). */
  FlowEntered = 'flow_entered',
  /** a node's text was sent to her: an answer, a menu, a question. "Top questions" are these counts. */
  NodeReached = 'node_reached',
  /** a menu shown and not answered within 24 h (counted on the day it was shown). */
  MenuAbandoned = 'menu_abandoned',
  /** distinct contacts per day and channel (a HyperLogLog of a hash salted per day; see InsightsTally). */
  Contacts = 'contacts',
  /** callbacks: topic, detail urgent|not_urgent. */
  CallbackRequested = 'callback_requested',
  /** a call's outcome recorded: detail the outcome (reached, no_answer, …). */
  CallbackCalled = 'callback_called',
  /** the first call of a request: detail `<urgent|not_urgent>.<bucket>` of the time since it was made. */
  CallbackFirstCall = 'callback_first_call',
  /** a request closed: detail its status (completed, cancelled, unreachable, erased). */
  CallbackClosed = 'callback_closed',
  /** subscriptions started, by topic (src/broadcasts). */
  SubscriptionStarted = 'subscription_started',
  SubscriptionEnded = 'subscription_ended',
  /** broadcast messages delivered, by topic (the hook for src/broadcasts: InsightsTally.broadcastDelivered). */
  BroadcastDelivered = 'broadcast_delivered',
  /** phone calls that ended, and their minutes (rounded up per call). */
  VoiceCalls = 'voice_calls',
  VoiceMinutes = 'voice_minutes',
}

export const INSIGHT_METRICS: readonly InsightMetric[] = Object.values(InsightMetric);

export interface InsightKey {
  day: string;
  metric: InsightMetric;
  flow?: string;
  node?: string;
  language?: string;
  channel?: string;
  topic?: string;
  detail?: string;
}

export type FullInsightKey = Required<InsightKey>;

const PART = /^[a-z0-9_.-]{0,40}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** anything that looks like a phone number, a chat id or a reference code is never a key part. */
const NUMBERISH = /\d{5,}/;

/** The hash field of a counter, or null when a part is not closed vocabulary. */
export function fieldOf(key: InsightKey): string | null {
  const parts = [key.flow, key.node, key.language, key.channel, key.topic, key.detail].map((p) => (p ?? '').toLowerCase());
  if (!DAY.test(key.day) || !INSIGHT_METRICS.includes(key.metric)) return null;
  if (parts.some((p) => !PART.test(p) || NUMBERISH.test(p))) return null;
  return [key.day, key.metric, ...parts].join('|');
}

export function keyOf(field: string): FullInsightKey | null {
  const [day, metric, flow, node, language, channel, topic, detail, ...rest] = field.split('|');
  if (rest.length || detail === undefined) return null;
  const key = { day: day!, metric: metric as InsightMetric, flow: flow!, node: node!, language: language!, channel: channel!, topic: topic!, detail };
  return fieldOf(key) === field ? key : null;
}

/**
 * The Africa/Bamako calendar day of an instant. Bamako keeps UTC all year (no summer time), so its
 * day is the UTC day; Intl says so rather than this file assuming it.
 */
const BAMAKO = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Bamako', year: 'numeric', month: '2-digit', day: '2-digit' });
export function bamakoDay(at: number | Date): string {
  return BAMAKO.format(typeof at === 'number' ? new Date(at) : at);
}

/** The instant the Bamako day ends (UTC+0 all year). */
export function endOfBamakoDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) + 86_400_000;
}

/** Time-to-first-call buckets: wide enough that a bucket says nothing about one request. */
export function firstCallBucket(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return 'lt_1h';
  if (h < 4) return '1h_4h';
  if (h < 24) return '4h_24h';
  if (h < 72) return '1d_3d';
  return 'gt_3d';
}
export const FIRST_CALL_BUCKETS = ['lt_1h', '1h_4h', '4h_24h', '1d_3d', 'gt_3d'] as const;
