import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock';
import { BlindIndex } from '../../crypto/blind-index';
import type { ContactEvent, ContactEventContext, ContactEventOutcome } from '../../conversations/contact-event';
import { OnContactEvent } from '../../conversations/contact-event.registry';
import { ContactFacts } from '../../conversations/contact-facts.service';
import { AnonymousCountsRepository, AnonymousMetric } from '../../privacy/anonymous-counts.repository';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { RedisKeys } from '../../redis/redis-keys';

/**
 * Graph API codes that say the message cannot reach her on WhatsApp (131026 "Message undeliverable":
 * the number is not on WhatsApp, she has not accepted the terms, or her app is too old). 131047 (her 24
 * hours are over) is Sira's timing, not her reachability, and does not count.
 */
export const UNDELIVERABLE_CODES: ReadonlySet<string> = new Set(['131026']);
/** undeliverable errors in a row (no delivery between them) that mark her unreachable. */
export const UNREACHABLE_AFTER = 3;
/** a run of errors older than this is forgotten. */
const STREAK_TTL_S = 30 * 24 * 60 * 60;
export const UNREACHABLE_SOURCE = 'whatsapp';

/**
 * The Cloud API sends no "blocked" event. Repeated undeliverable errors mark her unreachable on
 * WhatsApp — not stopped: she did not ask for silence, and nothing is recorded as her opt-out. While
 * marked, proactive messages are not sent to her (counted, no number); her next message clears the mark.
 * The mark changes through the contact-event path (`channel_unreachable` / `channel_reachable`, owned
 * here), under her contact lock; it lives in Redis by blind index (no column: losing it only means the
 * next proactive message is tried again).
 */
@Injectable()
export class WhatsAppReachability {
  private readonly log = new Logger(WhatsAppReachability.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(ContactFacts) private readonly facts: ContactFacts,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A send or a status failed with `code`: an undeliverable one lengthens her run, the third marks her. */
  async failed(contactId: string | null, code: string | null | undefined): Promise<void> {
    if (!contactId || !code || !UNDELIVERABLE_CODES.has(code)) return;
    const key = this.streakKey(contactId);
    const run = await this.redis.incr(key);
    await this.redis.expire(key, STREAK_TTL_S);
    if (run === UNREACHABLE_AFTER) await this.facts.submit(contactId, { type: 'channel_unreachable', source: UNREACHABLE_SOURCE });
  }

  /** A message reached her phone: the run starts again. */
  async delivered(contactId: string | null): Promise<void> {
    if (contactId) await this.redis.del(this.streakKey(contactId));
  }

  /** She wrote: if she was marked unreachable, the mark goes. */
  async heard(address: string): Promise<void> {
    if ((await this.redis.exists(this.markKey(this.index.of('whatsapp', address)))) !== 1) return;
    await this.facts.submitByAddress('whatsapp', address, { type: 'channel_reachable', source: UNREACHABLE_SOURCE });
  }

  async isUnreachable(address: string): Promise<boolean> {
    return (await this.redis.exists(this.markKey(this.index.of('whatsapp', address)))) === 1;
  }

  /** Erasure: the mark goes with her. */
  async forget(address: string): Promise<void> {
    await this.redis.del(this.markKey(this.index.of('whatsapp', address)));
  }

  @OnContactEvent('channel_unreachable')
  async markUnreachable(_event: ContactEvent, { contact, blindIndex }: ContactEventContext): Promise<ContactEventOutcome> {
    if (contact.channel !== 'whatsapp') return {};
    await this.redis.set(this.markKey(blindIndex), '1');
    await this.redis.del(this.streakKey(contact.id));
    await this.counts.add(AnonymousMetric.WhatsAppUnreachable, 'whatsapp', new Date(this.clock.now()));
    this.log.log(`whatsapp contact marked unreachable after ${UNREACHABLE_AFTER} undeliverable errors`);
    return {};
  }

  @OnContactEvent('channel_reachable')
  async markReachable(_event: ContactEvent, { blindIndex }: ContactEventContext): Promise<ContactEventOutcome> {
    await this.redis.del(this.markKey(blindIndex));
    return {};
  }

  private markKey(blindIndex: string): string {
    return `${this.keys.prefix}:whatsapp:unreachable:${blindIndex}`;
  }

  private streakKey(contactId: string): string {
    return `${this.keys.prefix}:whatsapp:undeliverable:${contactId}`;
  }
}
