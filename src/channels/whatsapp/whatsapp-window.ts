import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock';
import { BlindIndex } from '../../crypto/blind-index';
import { AnonymousCountsRepository, AnonymousMetric } from '../../privacy/anonymous-counts.repository';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { RedisKeys } from '../../redis/redis-keys';

/**
 * Meta's 24-hour rule: a free-form message may be sent only within 24 hours of her last message;
 * outside it only an approved template. The window is a Redis key per contact (her blind index, never
 * her number) renewed by each message she sends, a little shorter than Meta's so that a message still
 * waiting in the queue does not arrive after it closed.
 */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000 - 15 * 60 * 1000;

@Injectable()
export class WhatsAppWindow {
  private readonly log = new Logger(WhatsAppWindow.name);
  /** proactive messages not sent because her window was closed (since this process started). */
  private refused = 0;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(RedisKeys) private readonly keys: RedisKeys,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** She wrote: the window opens (again) for 24 hours. */
  async open(address: string): Promise<void> {
    await this.redis.set(this.key(address), '1', { expiration: { type: 'PX', value: WHATSAPP_WINDOW_MS } });
  }

  async isOpen(address: string): Promise<boolean> {
    return (await this.redis.exists(this.key(address))) === 1;
  }

  /** Erasure: nothing of hers is kept, not even the fact that she wrote lately. */
  async close(address: string): Promise<void> {
    await this.redis.del(this.key(address));
  }

  /**
   * Whether a proactive message may be queued: inside her window as it is; outside it only when an
   * approved template stands for it (the sender then sends the template, WHATSAPP_TEMPLATES). Otherwise
   * it is not sent — never as free text — and counted, without her number.
   */
  async admitsProactive(address: string, hasTemplate: boolean): Promise<boolean> {
    if (hasTemplate || (await this.isOpen(address))) return true;
    await this.notSent('outside the 24-hour window, no template');
    return false;
  }

  /** A proactive message held back (outside the window without a template, or she is unreachable), counted. */
  async notSent(why: string): Promise<void> {
    this.refused++;
    await this.counts.add(AnonymousMetric.WhatsAppProactiveNotSent, 'whatsapp', new Date(this.clock.now()));
    this.log.warn(`whatsapp: proactive message not sent (${why})`);
  }

  refusedOutsideWindow(): number {
    return this.refused;
  }

  private key(address: string): string {
    return `${this.keys.prefix}:whatsapp:window:${this.index.of('whatsapp', address)}`;
  }
}
