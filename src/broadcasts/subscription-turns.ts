import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import { ContactsRepository } from '../contacts/contacts.repository';
import type { ContactEvent, ContactEventContext, ContactEventOf, ContactEventOutcome } from '../conversations/contact-event';
import { OnContactEvent, TakesPartInTurns, type TurnParticipant } from '../conversations/contact-event.registry';
import type { Settlement, TurnContext } from '../conversations/conversation-hooks';
import { isTopic, SubscriptionsRepository, type EndReason } from './subscriptions.repository';

/** What she reads when the shell swaps a news confirmation (locales/<lng>/news.json). */
export const NEWS_TEXTS = {
  failed: 'news:failed',
  none: 'news:none',
} as const;

/**
 * News subscriptions in a conversation (issue 26, flows/news.yaml). Facts for the flow: `news` (the
 * choice is offered: every written channel, never by phone — a voice subscription needs its own opt-in),
 * `news_sms` (the consent says "SMS"; elsewhere "message"), `news_<topic>` and `news_subscribed` (her
 * active topics), `news_renewal` (a keep-it question waits for her yes), `discreet` (Sira must never
 * write first: she is told before any consent), and the figures her consent states. It owns the news
 * events, and ends her subscriptions when she stops Sira, withdraws her consent or turns discreet.
 */
@Injectable()
@TakesPartInTurns()
export class SubscriptionTurns implements TurnParticipant {
  private readonly log = new Logger(SubscriptionTurns.name);

  constructor(
    @Inject(SubscriptionsRepository) private readonly subscriptions: SubscriptionsRepository,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async facts({ contact, msg }: TurnContext): Promise<Record<string, string>> {
    if (msg.channel === 'voice' || contact.channel === 'voice') return {};
    const { months, maxPerMonth } = this.config.subscriptions;
    const state = await this.subscriptions.stateOf(contact.id);
    const facts: Record<string, string> = { news: 'yes', news_max: String(maxPerMonth), news_months: String(months) };
    if (msg.channel === 'sms') facts.news_sms = 'yes';
    for (const topic of state.topics) facts[`news_${topic}`] = 'yes';
    if (state.topics.length) facts.news_subscribed = 'yes';
    if (state.renewalPending) facts.news_renewal = 'yes';
    if (state.discreet) facts.discreet = 'yes';
    return facts;
  }

  /** Stored with her consent and her address, or she is told it did not work; never said done before it committed. */
  @OnContactEvent('news_subscribed')
  async subscribed(event: ContactEvent, { contact, msg }: ContactEventContext): Promise<ContactEventOutcome> {
    const { topic, consentVersion } = event as ContactEventOf<'news_subscribed'>;
    if (!msg || !isTopic(topic) || !consentVersion || contact.channel === 'voice') return { settlement: { text: NEWS_TEXTS.failed } };
    try {
      const sealed = this.contacts.sealAddress(contact, msg.address);
      const months = this.config.subscriptions.months;
      const updated = await this.subscriptions.subscribe(contact, topic, consentVersion, sealed, this.now(), months);
      this.log.log('news subscription stored');
      return { contact: updated, settlement: { params: { months } } };
    } catch (err) {
      this.log.warn(`news subscription not stored: ${err instanceof Error ? err.name : 'error'}`);
      return { settlement: { text: NEWS_TEXTS.failed } };
    }
  }

  @OnContactEvent('news_stopped')
  async stopped(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const { topic } = event as ContactEventOf<'news_stopped'>;
    return { settlement: await this.settle(async () => (isTopic(topic) || topic === undefined ? this.subscriptions.end(contact.id, 'stop_news', this.now(), topic) : 0)) };
  }

  @OnContactEvent('news_renewed')
  async renewed(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    const months = this.config.subscriptions.months;
    const settlement = await this.settle(() => this.subscriptions.renew(contact.id, this.now(), months));
    return { settlement: settlement && !settlement.text ? { params: { months } } : settlement };
  }

  /** STOP (her word or her carrier's): no news either. Before the owner records the stop. */
  @OnContactEvent(['opted_out', 'carrier_opted_out'], { phase: 'before' })
  async optedOut(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    await this.endQuietly(contact.id, 'stop');
    return {};
  }

  /** Without consent her address goes (privacy): a subscription could reach nobody. */
  @OnContactEvent('consent_withdrawn', { phase: 'before' })
  async withdrawn(_event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    await this.endQuietly(contact.id, 'withdrawn');
    return {};
  }

  /** "Never write first" and news cannot both hold: the news ends with her choice. */
  @OnContactEvent('proactive_changed', { phase: 'before' })
  async proactive(event: ContactEvent, { contact }: ContactEventContext): Promise<ContactEventOutcome> {
    if (!(event as ContactEventOf<'proactive_changed'>).allow) await this.endQuietly(contact.id, 'discreet');
    return {};
  }

  /** Nothing was active: "you receive no news"; a failure: "could not"; else the flow's own text. */
  private async settle(change: () => Promise<number>): Promise<Settlement> {
    try {
      return (await change()) > 0 ? {} : { text: NEWS_TEXTS.none };
    } catch (err) {
      this.log.warn(`news subscription not changed: ${err instanceof Error ? err.name : 'error'}`);
      return { text: NEWS_TEXTS.failed };
    }
  }

  /** A failure must not stop her STOP, her withdrawal or her choice; the broadcast respects those anyway. */
  private async endQuietly(contactId: string, reason: EndReason): Promise<void> {
    await this.subscriptions.end(contactId, reason, this.now()).catch((err: Error) => this.log.warn(`news subscriptions not ended (${reason}): ${err.name}`));
  }

  private now(): Date {
    return new Date(this.clock.now());
  }
}
