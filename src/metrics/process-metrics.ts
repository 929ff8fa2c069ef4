import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ChannelName } from '../common/channel-name';

/**
 * What this process counts as things happen (prom-client's usual module-level metrics): webhook
 * durations, outbound rows settling, provider errors, and the process metrics (collectDefaultMetrics).
 * Each process has its own counts; Prometheus scrapes every process and sums (docs/operations.md).
 * The gauges that must read the same from any process (queues, open requests, relay phones) are read
 * from Redis and PostgreSQL at scrape time instead (scrape-gauges.ts).
 *
 * Every label value is one of a fixed set or passes `safeCode`: no label ever carries a number, a chat
 * id, a text or a reference code, and no caller can make the set of series grow without bound.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** The webhook routes, by the provider calling them (never a path parameter: the relay's path names its phone). */
export const WEBHOOK_CHANNELS = ['twilio_sms', 'twilio_voice', 'sms_gateway', 'telegram', 'whatsapp'] as const;
export type WebhookChannel = (typeof WEBHOOK_CHANNELS)[number];

/** Where an outbound row settles: the status it reached, or `discarded` (deleted unsent: opted out, capped, erased). */
export const OUTBOUND_OUTCOMES = ['sent', 'delivered', 'undelivered', 'failed', 'unknown', 'discarded'] as const;
export type OutboundOutcome = (typeof OUTBOUND_OUTCOMES)[number];

export const OUTBOUND_CHANNELS: readonly ChannelName[] = ['sms', 'telegram', 'whatsapp', 'voice', 'simulator'];

/** The providers whose answers Sira classifies (whatsapp: Meta's Cloud API; sms_gateway: the relay phones). */
export const PROVIDERS = ['twilio', 'telegram', 'whatsapp', 'sms_gateway'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Distinct error codes kept per provider; any further code is counted as `other`. */
export const MAX_CODES_PER_PROVIDER = 40;

/** Twilio waits 15 s for an answer, a call's turn must answer within 8 s: the buckets cover both. */
const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 8, 15];

export const webhookDuration = new Histogram<'channel'>({
  name: 'sira_webhook_duration_seconds',
  help: 'Time from a provider webhook arriving to its answer, by channel (refused ones included).',
  labelNames: ['channel'],
  buckets: WEBHOOK_BUCKETS,
  registers: [processRegistry],
});

export const outboundTotal = new Counter<'channel' | 'outcome'>({
  name: 'sira_outbound_total',
  help: 'Outbound messages reaching a settled status, by channel and outcome (a message sent then delivered counts once in each).',
  labelNames: ['channel', 'outcome'],
  registers: [processRegistry],
});

export const providerErrors = new Counter<'provider' | 'code'>({
  name: 'sira_provider_errors_total',
  help: "Errors answered to Sira's calls of a provider's API (or the network failing on the way), by provider and the provider's code.",
  labelNames: ['provider', 'code'],
  registers: [processRegistry],
});

/**
 * Every series this configuration can have, at 0 from the start: a counter that first appears at 1 is
 * a jump `rate()` and `increase()` cannot see. (Provider codes are not known in advance.)
 */
export function initialiseSeries(webhookChannels: readonly WebhookChannel[], outboundChannels: readonly ChannelName[]): void {
  for (const channel of webhookChannels) webhookDuration.zero({ channel });
  for (const channel of outboundChannels) for (const outcome of OUTBOUND_OUTCOMES) outboundTotal.inc({ channel, outcome }, 0);
}

export function observeWebhook(channel: WebhookChannel, seconds: number): void {
  if (!WEBHOOK_CHANNELS.includes(channel) || !Number.isFinite(seconds) || seconds < 0) return;
  webhookDuration.observe({ channel }, seconds);
}

export function countOutbound(channel: string | null | undefined, outcome: OutboundOutcome, n = 1): void {
  if (n <= 0 || !OUTBOUND_OUTCOMES.includes(outcome)) return;
  outboundTotal.inc({ channel: OUTBOUND_CHANNELS.includes(channel as ChannelName) ? channel! : 'other', outcome }, n);
}

/** The outcome a row's new status stands for, when it is a settled one. */
export function outcomeOfStatus(status: string): OutboundOutcome | undefined {
  return (OUTBOUND_OUTCOMES as readonly string[]).includes(status) && status !== 'discarded' ? (status as OutboundOutcome) : undefined;
}

const codesSeen = new Map<Provider, Set<string>>();

/**
 * A provider's error code as a label: short codes of letters, digits, `_ . -` (Twilio's 21610, Meta's
 * 131047, ECONNREFUSED, 429, timeout). Anything else — and any run of 7 or more digits, which could be
 * a number — is `other`; so is every code past MAX_CODES_PER_PROVIDER distinct ones.
 */
export function safeCode(provider: Provider, code: unknown): string {
  const text = typeof code === 'number' && Number.isSafeInteger(code) ? String(code) : typeof code === 'string' ? code : '';
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(text) || /\d{7,}/.test(text)) return 'other';
  let seen = codesSeen.get(provider);
  if (!seen) codesSeen.set(provider, (seen = new Set()));
  if (!seen.has(text)) {
    if (seen.size >= MAX_CODES_PER_PROVIDER) return 'other';
    seen.add(text);
  }
  return text;
}

/** Counts one error answered by a provider; returns the error, so a classifier can `throw counted(…)`. */
export function countProviderError<E extends { code: string }>(provider: Provider, error: E): E {
  if (PROVIDERS.includes(provider)) providerErrors.inc({ provider, code: safeCode(provider, error.code) });
  return error;
}
