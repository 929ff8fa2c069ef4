import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { localDay } from '../../callbacks/call-windows';
import { startedBullmq, startedWorker, type Started } from '../../common/bullmq-start';
import { CLOCK, type Clock } from '../../common/clock';
import type { Config } from '../../config/config';
import { CONFIG } from '../../config/config.module';
import { runsWorkers } from '../../config/process-role';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { AddressCipher } from '../../crypto/address-cipher';
import { BlindIndex } from '../../crypto/blind-index';
import { SendError } from '../../outbound/outbound.types';
import { AnonymousCountsRepository, AnonymousMetric } from '../../privacy/anonymous-counts.repository';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { FlashCalls } from './flash-calls';
import { returnCallRefusal, type ReturnCallRefusal } from './return-call.policy';
import { VOICE_DIALER, type VoiceDialer } from './voice-dialer';

/** the BullMQ queue of return calls (read by the metrics, src/metrics). */
export const RETURN_CALL_QUEUE = 'voice-return-calls';
const QUEUE = RETURN_CALL_QUEUE;
const TIME_ZONE = 'Africa/Bamako';
/** The channels where her STOP also stops return calls (the same number). */
const NUMBER_CHANNELS = ['sms', 'voice'] as const;

export type ReturnCallOutcome = 'scheduled' | 'cooldown' | ReturnCallRefusal;

interface ReturnCallJob {
  /** her number, sealed to this job's id: a dump of Redis shows no number. */
  to: string;
}

/**
 * Free return calls: she flashes a number (the provider rejects the call, she pays nothing) and Sira
 * calls her back into the voice menus after VOICE_FLASH_DELAY_SECONDS. At most one per number per
 * cooldown (a key on her blind index, never her number), inside the caps and hours; STOP on any channel
 * blocks them, checked again when the call is placed. Refusals are counted per day and reason only.
 * `request` is the provider-neutral entry: a flash source only finds her number and hands it here.
 */
@Injectable()
export class ReturnCalls implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(ReturnCalls.name);
  private queue?: Started<Queue>;
  private worker?: Started<Worker>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(VOICE_DIALER) private readonly dialer: VoiceDialer,
    @Inject(CLOCK) private readonly clock: Clock,
    // present when a flash source other than Twilio's flash numbers is configured (a relay phone)
    @Optional() @Inject(FlashCalls) private readonly flashSources?: FlashCalls,
  ) {}

  async onModuleInit(): Promise<void> {
    // every flash source (Twilio's flash numbers, a relay phone's missed calls) asks through FlashCalls
    this.flashSources?.register(this);
    const prefix = this.config.redis.prefix;
    this.queue = await startedBullmq('return-call queue', this.config.redis.url, (connection: never) => new Queue(QUEUE, { connection, prefix }), this.log);
    if (!runsWorkers(this.config)) return;
    const build = (connection: never) => {
      const worker = new Worker<ReturnCallJob>(QUEUE, (job) => this.place(job), { connection, prefix, autorun: false, lockDuration: this.config.workers.lockMs });
      worker.on('error', (err) => this.log.warn(`return-call worker: ${err.name}`));
      worker.on('failed', (_job, err) => this.log.warn(`return call failed: ${err.name}`));
      return worker;
    };
    this.worker = await startedWorker('return-call worker', this.config.redis.url, build, this.log);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }

  /** She asked to be called (a flash, later a word): scheduled, or why not. */
  async request(address: string): Promise<ReturnCallOutcome> {
    const settings = this.config.voice!.returnCalls;
    const now = this.clock.now();
    const refusal = returnCallRefusal({
      minuteOfDay: Math.floor((now - localDay(now, TIME_ZONE).midnight) / 60_000),
      hours: settings.hours,
      servedCountry: this.served(address),
      optedOutSomewhere: await this.optedOutSomewhere(address),
      callsToday: Number((await this.redis.get(this.dayKey('calls', now))) ?? 0),
      secondsToday: await this.secondsToday(now),
      dailyCalls: settings.dailyCalls,
      dailyMinutes: settings.dailyMinutes,
    });
    if (refusal) return this.refused(refusal, now);
    const cooldown = `${this.config.redis.prefix}:voice:cooldown:${this.index.of('voice', address)}`;
    if ((await this.redis.set(cooldown, '1', { NX: true, PX: settings.cooldownMs })) === null) return this.refused('cooldown', now);
    await this.redis.multi().incr(this.dayKey('calls', now)).expire(this.dayKey('calls', now), 2 * 86_400).exec();
    const jobId = `return-${randomUUID()}`;
    await this.queue!.item.add('call', { to: this.cipher.encrypt(address, jobId).token }, { jobId, delay: settings.delayMs, attempts: 2, backoff: { type: 'fixed', delay: 30_000 }, removeOnComplete: true, removeOnFail: true });
    return 'scheduled';
  }

  /** Return calls scheduled and not yet placed (waiting, delayed or being placed). */
  async pending(): Promise<number> {
    const counts = await this.queue!.item.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** How many return calls were refused today, per reason (no number). */
  async refusalsToday(): Promise<Record<string, number>> {
    const raw = await this.redis.hGetAll(this.dayKey('refused', this.clock.now()));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  private async place(job: Job<ReturnCallJob>): Promise<void> {
    const to = this.cipher.decrypt(job.data.to, job.id ?? '');
    if (await this.optedOutSomewhere(to)) return; // she said STOP since she asked
    try {
      await this.dialer.dial(to);
    } catch (err) {
      // tried again only when the request cannot have reached the provider: a timeout or a reset may
      // already have rung her phone, and a refusal will not change (at most one call per request)
      if (err instanceof SendError && err.kind === 'retryable') throw err;
      throw new UnrecoverableError(err instanceof SendError ? `dial failed (${err.kind}, ${err.code})` : 'dial failed');
    }
  }

  private served(address: string): boolean {
    const parsed = parsePhoneNumberFromString(address);
    return !!parsed && this.config.sms.allowedCountryCodes.includes(parsed.countryCallingCode);
  }

  private async optedOutSomewhere(address: string): Promise<boolean> {
    for (const channel of NUMBER_CHANNELS) {
      if ((await this.contacts.findByIndex(channel, this.index.of(channel, address)))?.optedOut) return true;
    }
    return false;
  }

  private async secondsToday(now: number): Promise<number> {
    const today = new Date(now).toISOString().slice(0, 10);
    return (await this.counts.byDay(AnonymousMetric.VoiceSeconds, 'voice', today)).find((r) => r.day === today)?.value ?? 0;
  }

  private async refused(reason: ReturnCallOutcome, now: number): Promise<ReturnCallOutcome> {
    const key = this.dayKey('refused', now);
    await this.redis.multi().hIncrBy(key, reason, 1).expire(key, 8 * 86_400).exec();
    return reason;
  }

  private dayKey(what: string, now: number): string {
    return `${this.config.redis.prefix}:voice:${what}:${new Date(now).toISOString().slice(0, 10)}`;
  }
}
