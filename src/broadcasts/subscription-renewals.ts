import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { RepairTask } from '../common/repair-task';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { runsWorkers } from '../config/process-role';
import { ContactsRepository } from '../contacts/contacts.repository';
import { OutboundService } from '../outbound/outbound.service';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { SubscriptionsRepository } from './subscriptions.repository';

/** The keep-it question: neutral (no topic, no organisation), checked as proactive (src/privacy/discretion.ts). */
export const KEEP_IT_TEXT = 'news:proactive.keep';
const DAY_MS = 86_400_000;
/** how often the worker looks for subscriptions to ask about or to end. */
const INTERVAL_MS = 60 * 60 * 1000;
/** contacts asked per run at most (the next run takes the rest). */
const BATCH = 500;
/**
 * The question lands on her phone unasked: only in the day, Africa/Bamako (UTC+0 all year), the same
 * hours as the broadcasts' default. Not a setting of its own: one message every six months.
 */
const ASK_FROM_HOUR = 9;
const ASK_UNTIL_HOUR = 19;

/** What one run did (counts only). */
export interface RenewalReport {
  asked: number;
  lapsed: number;
}

/**
 * Subscriptions end (numbers get recycled): `SUBSCRIPTION_RENEWAL_GRACE_DAYS` before `expires_at` she gets
 * ONE neutral message asking whether to keep her news (reply NOUVELLES / NEWS, then yes); no answer within
 * the grace days ends them (end_reason `expired`). Runs in worker processes at start-up, on Redis coming
 * back and hourly; the question is claimed in PostgreSQL before it is queued, so however many workers run
 * she gets it once, and a question that could not be sent (her channel off, a WhatsApp window closed with
 * no template) still lapses rather than keeping her subscribed for ever.
 */
@Injectable()
export class SubscriptionRenewals implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(SubscriptionRenewals.name);
  private readonly repair: RepairTask<RenewalReport>;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) redis: RedisClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Optional() @Inject(OutboundService) private readonly outbound?: OutboundService,
  ) {
    this.repair = new RepairTask({ what: 'subscription renewals', redis, intervalMs: INTERVAL_MS, run: () => this.run(), log: this.log });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (runsWorkers(this.config)) await this.repair.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.repair.stop();
  }

  /** One run now (tests, and the triggers above); never throws. */
  runNow(): Promise<RenewalReport | undefined> {
    return this.repair.now('asked');
  }

  private async run(): Promise<RenewalReport> {
    const now = this.clock.now();
    const graceMs = this.config.subscriptions.renewalGraceDays * DAY_MS;
    const lapsed = await this.subscriptions.lapse(new Date(now - graceMs), new Date(now));
    let asked = 0;
    if (daytimeInBamako(now)) {
      const before = new Date(now + graceMs);
      for (const contactId of await this.subscriptions.dueForQuestion(before, BATCH)) {
        if (!(await this.subscriptions.claimQuestion(contactId, before, new Date(now)))) continue; // another worker asked
        if (await this.ask(contactId)) asked++;
      }
    }
    if (asked || lapsed) this.log.log(`subscription renewals: ${asked} asked, ${lapsed} ended unanswered`);
    return { asked, lapsed };
  }

  /** The queue refuses it when she is stopped, discreet or has no address; the discretion check runs there too. */
  private async ask(contactId: string): Promise<boolean> {
    try {
      const contact = await this.contacts.findById(contactId);
      if (!contact || !this.outbound?.queueOf(contact.channel)) return false;
      const days = this.config.subscriptions.renewalGraceDays;
      const ids = await this.outbound.enqueueProactive(contact.channel, contact.id, contact.language ?? 'fr', [{ text: KEEP_IT_TEXT, params: { days } }]);
      return ids.length > 0;
    } catch (err) {
      this.log.warn(`keep-it question not queued: ${err instanceof Error ? err.name : 'error'}`);
      return false;
    }
  }
}

function daytimeInBamako(now: number): boolean {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Africa/Bamako', hour: 'numeric', hourCycle: 'h23' }).format(now));
  return hour >= ASK_FROM_HOUR && hour < ASK_UNTIL_HOUR;
}
