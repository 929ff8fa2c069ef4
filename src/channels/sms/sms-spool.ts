import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { runsWorkers } from '../../config/process-role';
import { ConversationService } from '../../conversations/conversation.service';
import type { InboundMessage } from '../../conversations/inbound-message';
import { AddressCipher } from '../../crypto/address-cipher';
import { DATABASE_HANDLE } from '../../db/database.module';
import type { DatabaseHandle } from '../../db/open-database';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { SmsRedisKeys } from './sms-redis-keys';

/** AddressCipher context of spooled items: her number and words are in them, so they are encrypted. */
const SPOOL_CONTEXT = 'sms-spool';
const LOCK_MS = 30_000;
const PING_TIMEOUT_MS = 2_000;

/**
 * Messages accepted while PostgreSQL is unreachable wait here (a Redis list, AOF in production) and are
 * handled in arrival order once it is back. While the spool is not empty, new messages join its end
 * too, so that nobody's messages overtake her earlier ones. Provider-neutral: it holds InboundMessages.
 */
@Injectable()
export class SmsSpool implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(SmsSpool.name);
  private readonly keys: SmsRedisKeys;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<number>;
  /** how often the drainer looks at the spool (ms); tests shorten it. */
  static intervalMs = 1_000;
  /** how many rounds the head may fail while the database answers before it is dropped. */
  static triesWithDatabaseUp = 5;
  /** the head item that failed with the database up, and how many times (this process only). */
  private headFailures?: { token: string; count: number };

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(AddressCipher) private readonly cipher: AddressCipher,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    @Inject(ConversationService) private readonly conversations: ConversationService,
  ) {
    this.keys = new SmsRedisKeys(config.redis.prefix);
  }

  onModuleInit(): void {
    if (!runsWorkers(this.config)) return; // a web process spools; a worker process drains
    this.timer = setInterval(() => void this.drain().catch(() => undefined), SmsSpool.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.draining?.catch(() => undefined);
  }

  async push(message: InboundMessage): Promise<void> {
    const { token } = this.cipher.encrypt(JSON.stringify(message), SPOOL_CONTEXT);
    await this.redis.rPush(this.keys.spool(), token);
    this.log.warn('SMS spooled: the database is unreachable or the spool is not empty');
  }

  length(): Promise<number> {
    return this.redis.lLen(this.keys.spool());
  }

  /** Whether the database answers now (a short ping). */
  async databaseUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('timeout')), PING_TIMEOUT_MS)));
    try {
      await Promise.race([this.database.ping(), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Handles spooled messages in order until the spool is empty or the database fails again. */
  drain(): Promise<number> {
    this.draining ??= this.drainLocked().finally(() => (this.draining = undefined));
    return this.draining;
  }

  private async drainLocked(): Promise<number> {
    if ((await this.length()) === 0) return 0;
    const owner = randomUUID();
    const lock = this.keys.spoolLock();
    if ((await this.redis.set(lock, owner, { NX: true, PX: LOCK_MS })) !== 'OK') return 0;
    let handled = 0;
    try {
      for (;;) {
        const head = await this.redis.lIndex(this.keys.spool(), 0);
        if (head === null) break;
        if (!(await this.handleOne(head))) break;
        await this.redis.lPop(this.keys.spool());
        await this.redis.pExpire(lock, LOCK_MS);
        handled++;
      }
    } finally {
      if ((await this.redis.get(lock)) === owner) await this.redis.del(lock);
    }
    if (handled) this.log.log(`SMS spool: ${handled} message${handled === 1 ? '' : 's'} handled`);
    return handled;
  }

  /** true: done with this item (handled, or unreadable and dropped); false: stop, retry later. */
  private async handleOne(token: string): Promise<boolean> {
    let message: InboundMessage;
    try {
      message = JSON.parse(this.cipher.decrypt(token, SPOOL_CONTEXT)) as InboundMessage;
    } catch {
      this.log.error('SMS spool: an item could not be decrypted (key removed?); dropped');
      return true;
    }
    try {
      await this.conversations.handle(message);
      this.headFailures = undefined;
      return true;
    } catch (err) {
      if (!(await this.databaseUp())) return false;
      // Just after an outage a query can still fail on a connection the restart broke while a fresh
      // ping succeeds: the head is tried again on the next rounds. Only a message that keeps failing
      // with the database up is dropped, since keeping it would block everyone behind it.
      const failures = this.headFailures?.token === token ? this.headFailures.count + 1 : 1;
      this.headFailures = { token, count: failures };
      if (failures < SmsSpool.triesWithDatabaseUp) {
        this.log.warn(`SMS spool: a message failed with the database up (${errorName(err)}); tried again shortly`);
        return false;
      }
      this.headFailures = undefined;
      this.log.error(`SMS spool: a message failed ${failures} times with the database up (${errorName(err)}); dropped`);
      return true;
    }
  }
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'error';
}
