import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { CONFIG } from '../config/config.module';
import type { Config } from '../config/config';
import type { TurnTransaction } from '../conversations/conversation-hooks';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { bamakoDay, endOfBamakoDay, fieldOf, type InsightKey } from './insight-metrics';

/** How long an unanswered menu waits before it counts as abandoned. */
export const MENU_ABANDON_MS = 24 * 3_600_000;

/**
 * The insight keys in Redis. None names a woman: counters are closed-vocabulary fields of one hash,
 * distinct contacts a HyperLogLog per day and channel of HMAC(salt of the day, contact id), and an
 * open menu a random token; only the open-menu marker is hers (by contact id, the way her session is
 * hers by blind index), gone after 24 h, at her next message or with her erasure.
 */
export class InsightsKeys {
  constructor(private readonly prefix: string) {}
  /** counters not yet in PostgreSQL: field `day|metric|flow|node|language|channel|topic|detail` → count. */
  pending = () => `${this.prefix}:insights:pending`;
  /** the batch a flush is writing (kept until PostgreSQL has it). */
  inflight = () => `${this.prefix}:insights:inflight`;
  flushLock = () => `${this.prefix}:insights:flush-lock`;
  salt = (day: string) => `${this.prefix}:insights:salt:${day}`;
  contacts = (day: string, channel: string) => `${this.prefix}:insights:contacts:${day}:${channel}`;
  /** the `day:channel` pairs with a HyperLogLog to count. */
  contactDays = () => `${this.prefix}:insights:contact-days`;
  /** open menus: member `token|field`, score the instant it counts as abandoned. */
  menus = () => `${this.prefix}:insights:menus`;
  menu = (contactId: string) => `${this.prefix}:insights:menu:${contactId}`;
}

/**
 * Her marker of an open menu replaced in one step: the menu she had open (if any) no longer counts as
 * abandoned, and the one this turn showed (if any) will, unless she answers within 24 h.
 * KEYS: marker, menus; ARGV: new member ('' for none), its deadline, marker TTL ms.
 */
const REPLACE_MENU = `
local old = redis.call('GET', KEYS[1])
if old then redis.call('ZREM', KEYS[2], old) redis.call('DEL', KEYS[1]) end
if ARGV[1] ~= '' then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
end
return 1`;

/** Adds counters to a Redis transaction (the turn's own, or one of their own outside a turn). */
@Injectable()
export class InsightsTally {
  readonly keys: InsightsKeys;
  /** today's salt, read once per day per process (it lives in Redis, so every process hashes alike). */
  private salt?: { day: string; value: Promise<Buffer> };

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CONFIG) config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.keys = new InsightsKeys(config.redis.prefix);
  }

  /** HINCRBY of each counter whose key is closed vocabulary (others are dropped, never stored). */
  count(tx: TurnTransaction, keys: readonly InsightKey[], by = 1): void {
    for (const key of keys) {
      const field = fieldOf(key);
      if (field && by > 0) tx.hIncrBy(this.keys.pending(), field, by);
    }
  }

  /** Counters outside a turn (callbacks, subscriptions, calls): one transaction of their own. */
  async add(keys: readonly InsightKey[], by = 1): Promise<void> {
    const tx = this.redis.multi();
    this.count(tx, keys, by);
    await tx.exec();
  }

  /** She was here today on this channel: one more element of the day's HyperLogLog, unlinkable once the salt is gone. */
  async contactSeen(contactId: string, day: string, channel: string): Promise<(tx: TurnTransaction) => void> {
    const salt = await this.saltOf(day);
    const element = createHmac('sha256', salt).update(contactId).digest('base64url');
    return (tx) => {
      tx.pfAdd(this.keys.contacts(day, channel), element);
      // kept two days: long enough for the flush to read the day's final count after its salt is gone
      tx.pExpire(this.keys.contacts(day, channel), this.untilEndOf(day) + 2 * 86_400_000);
      tx.sAdd(this.keys.contactDays(), `${day}:${channel}`);
    };
  }

  /** Replaces her open-menu marker (see REPLACE_MENU); `field` is the menu_abandoned counter to add on expiry. */
  menuShown(tx: TurnTransaction, contactId: string, field: string | null, now: number): void {
    const member = field ? `${randomBytes(9).toString('base64url')}|${field}` : '';
    tx.eval(REPLACE_MENU, { keys: [this.keys.menu(contactId), this.keys.menus()], arguments: [member, String(now + MENU_ABANDON_MS), String(MENU_ABANDON_MS)] });
  }

  /** Her erasure: her marker goes, and its menu is not counted (she did not abandon it; she left). */
  async forgetMenu(contactId: string): Promise<void> {
    await this.redis.eval(REPLACE_MENU, { keys: [this.keys.menu(contactId), this.keys.menus()], arguments: ['', '0', '0'] });
  }

  /** milliseconds left in the Bamako day by the service's clock (relative, so Redis's own clock does not matter). */
  private untilEndOf(day: string): number {
    return Math.max(1, endOfBamakoDay(day) - this.clock.now());
  }

  /**
   * The day's salt: 32 random bytes created by the first process that needs it (SET NX), expiring when
   * the Bamako day ends, so the day's hashes can no longer be recomputed from a contact id after that.
   */
  private saltOf(day: string): Promise<Buffer> {
    if (this.salt?.day !== day) {
      const value = (async () => {
        const key = this.keys.salt(day);
        const [, stored] = await this.redis
          .multi()
          .set(key, randomBytes(32).toString('base64'), { NX: true, expiration: { type: 'PX', value: this.untilEndOf(day) } })
          .get(key)
          .exec();
        if (typeof stored !== 'string') throw new Error('no insights salt');
        return Buffer.from(stored, 'base64');
      })();
      value.catch(() => (this.salt = undefined));
      this.salt = { day, value };
    }
    return this.salt.value;
  }
}

export { bamakoDay };
