import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { BROADCAST_QUEUE } from '../broadcasts/broadcast.sender';
import { CallbackQueueName } from '../callbacks/callback-jobs';
import type { ChannelName } from '../common/channel-name';
import { SmsGatewayStatus } from '../channels/sms-gateway/sms-gateway-status.service';
import { SmsRedisKeys } from '../channels/sms/sms-redis-keys';
import { RETURN_CALL_QUEUE } from '../channels/voice/return-calls.service';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { DATABASE } from '../db/database.module';
import type { Database } from '../db/open-database';
import { OutboundQueueName } from '../outbound/outbound.types';
import { PrivacyQueueName } from '../privacy/privacy-jobs';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { prepareCallbackOpenStatement } from './callback-open.statement';
import { initialiseSeries } from './process-metrics';
import { webhookRoutes } from './webhook-timer.middleware';
import { QUEUE_STATES, QueueCounts, within } from './queue-counts';

/** The inbound SMS spool (a Redis list, not a BullMQ queue) is reported as this queue, state `waiting`. */
export const SPOOL_QUEUE = 'sms-spool';
export const URGENCIES = ['urgent', 'normal'] as const;
const SOURCE_TIMEOUT_MS = 3_000;

/**
 * The gauges read at scrape time from Redis and PostgreSQL, so that any process — web or worker —
 * reports the same values: BullMQ job counts and the SMS spool, open callback requests by urgency,
 * and the relay phones' silence (by their position in SMS_GATEWAY_PHONES, 1 for the first: never
 * their name, which an operator may have written as a number). A source that does not answer in time
 * leaves its gauges out of that scrape and says so in `sira_scrape_source_up`.
 */
@Injectable()
export class ScrapeGauges implements OnApplicationShutdown {
  private readonly log = new Logger(ScrapeGauges.name);
  readonly registry = new Registry();
  private readonly queues: QueueCounts;
  private readonly queueNames: string[];
  private readonly spoolKey?: string;
  private readonly callbackOpen;
  private refreshing?: Promise<void>;
  private readonly down = new Set<string>();

  private readonly queueJobs = new Gauge<'queue' | 'state'>({
    name: 'sira_queue_jobs',
    help: 'Jobs in each BullMQ queue by state, read from Redis at scrape time (sms-spool: inbound SMS waiting for the database).',
    labelNames: ['queue', 'state'],
    registers: [this.registry],
  });
  private readonly callbacksOpen = new Gauge<'urgency'>({
    name: 'sira_callback_open',
    help: 'Open callback requests (pending, claimed, no answer yet) by urgency, read from PostgreSQL at scrape time.',
    labelNames: ['urgency'],
    registers: [this.registry],
  });
  private readonly callbacksWaiting = new Gauge<'urgency'>({
    name: 'sira_callback_waiting_seconds',
    help: 'How long the longest-waiting unclaimed callback request has been due, by urgency (0: none waiting).',
    labelNames: ['urgency'],
    registers: [this.registry],
  });
  private readonly relaySilent = new Gauge<'relay'>({
    name: 'sira_sms_gateway_silent_seconds',
    help: 'Seconds since each relay phone last called Sira (any signed webhook), by its position in SMS_GATEWAY_PHONES.',
    labelNames: ['relay'],
    registers: [this.registry],
  });
  private readonly relayOutage = new Gauge<'relay'>({
    name: 'sira_sms_gateway_outage',
    help: 'Whether a relay phone has been silent longer than SMS_GATEWAY_SILENT_MINUTES (1) or not (0).',
    labelNames: ['relay'],
    registers: [this.registry],
  });
  private readonly sourceUp = new Gauge<'source'>({
    name: 'sira_scrape_source_up',
    help: 'Whether the scrape-time read of a source (redis, database) answered (1) or not (0).',
    labelNames: ['source'],
    registers: [this.registry],
  });
  private readonly processInfo = new Gauge<'role'>({
    name: 'sira_process_info',
    help: "Always 1; `role` is this process's SIRA_ROLE (web, worker, all).",
    labelNames: ['role'],
    registers: [this.registry],
  });

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(DATABASE) db: Database,
    @Optional() @Inject(SmsGatewayStatus) private readonly relay?: SmsGatewayStatus,
  ) {
    this.queueNames = queuesOf(config);
    this.queues = new QueueCounts(config.redis.url, config.redis.prefix, this.queueNames, SOURCE_TIMEOUT_MS);
    if (config.twilio || config.smsGateway) this.spoolKey = new SmsRedisKeys(config.redis.prefix).spool();
    this.callbackOpen = prepareCallbackOpenStatement(db);
    this.processInfo.set({ role: config.role }, 1);
    initialiseSeries([...new Set(webhookRoutes(config).map((r) => r.channel))], outboundChannelsOf(config));
  }

  /** Reads every source again (one read at a time however many scrapes arrive together). */
  refresh(): Promise<void> {
    this.refreshing ??= Promise.all([this.refreshRedis(), this.refreshDatabase()])
      .then(() => undefined)
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
    await this.queues.close();
  }

  private async refreshRedis(): Promise<void> {
    try {
      const [counts, spool, phones] = await Promise.all([
        this.queues.read(),
        this.spoolKey ? within(this.redis.lLen(this.spoolKey), SOURCE_TIMEOUT_MS) : Promise.resolve(undefined),
        this.relay?.configured() ? within(this.relay.phones(), SOURCE_TIMEOUT_MS) : Promise.resolve([]),
      ]);
      this.queueJobs.reset();
      for (const [queue, byState] of counts) for (const state of QUEUE_STATES) this.queueJobs.set({ queue, state }, byState[state]);
      if (spool !== undefined) this.queueJobs.set({ queue: SPOOL_QUEUE, state: 'waiting' }, spool);
      this.relaySilent.reset();
      this.relayOutage.reset();
      phones.forEach((phone, i) => {
        const relay = String(i + 1);
        this.relaySilent.set({ relay }, Math.round(phone.silentForMs / 1000));
        this.relayOutage.set({ relay }, phone.outage ? 1 : 0);
      });
      this.up('redis', true);
    } catch (err) {
      this.queueJobs.reset();
      this.relaySilent.reset();
      this.relayOutage.reset();
      this.up('redis', false, err);
    }
  }

  private async refreshDatabase(): Promise<void> {
    try {
      const rows = await within(this.callbackOpen.execute(), SOURCE_TIMEOUT_MS);
      for (const urgency of URGENCIES) {
        const row = rows.find((r) => r.urgent === (urgency === 'urgent'));
        this.callbacksOpen.set({ urgency }, Number(row?.open ?? 0));
        this.callbacksWaiting.set({ urgency }, Math.round(Number(row?.waitingSeconds ?? 0)));
      }
      this.up('database', true);
    } catch (err) {
      this.callbacksOpen.reset();
      this.callbacksWaiting.reset();
      this.up('database', false, err);
    }
  }

  /** Logged once per outage, never with what failed beyond its error's name. */
  private up(source: string, ok: boolean, err?: unknown): void {
    this.sourceUp.set({ source }, ok ? 1 : 0);
    if (ok) {
      if (this.down.delete(source)) this.log.log(`metrics: ${source} answers again`);
    } else if (!this.down.has(source)) {
      this.down.add(source);
      this.log.warn(`metrics: ${source} did not answer the scrape (${err instanceof Error ? err.name : 'error'})`);
    }
  }
}

/** The outbound channels this configuration registers. */
export function outboundChannelsOf(config: Config): ChannelName[] {
  const channels: ChannelName[] = [];
  if (config.twilio || config.smsGateway) channels.push('sms');
  if (config.telegram) channels.push('telegram');
  if (config.whatsapp) channels.push('whatsapp');
  if (config.simulator.enabled) channels.push('simulator');
  return channels;
}

/** The BullMQ queues this configuration uses (the same in every process of one deployment). */
export function queuesOf(config: Config): string[] {
  const names: string[] = [CallbackQueueName.Callbacks, PrivacyQueueName.Privacy, BROADCAST_QUEUE];
  if (config.twilio || config.smsGateway) names.push(OutboundQueueName.Sms);
  if (config.telegram) names.push(OutboundQueueName.Telegram);
  if (config.whatsapp) names.push(OutboundQueueName.WhatsApp);
  if (config.simulator.enabled) names.push(OutboundQueueName.Simulator);
  if (config.voice) names.push(RETURN_CALL_QUEUE);
  return names;
}
