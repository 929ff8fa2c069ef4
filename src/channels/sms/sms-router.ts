import { Inject, Injectable, Logger } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { ContactsRepository } from '../../contacts/contacts.repository';
import { BlindIndex } from '../../crypto/blind-index';
import { SendError, type SendRequest, type SendResult, type Sender } from '../../outbound/outbound.types';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import type { SmsMessage } from './sms-channel';
import { SmsRedisKeys } from './sms-redis-keys';

/** How long the line she last wrote through is remembered (then her contact's first line is used). */
const LAST_LINE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The SMS channel's one sender in front of several lines. A line is a way in and out of the
 * channel: a provider account ('twilio') or one SIM of a relay phone ('sms-gateway:orange'). Each
 * provider adapter adds its lines; every SMS she sends is remembered with the line it came through,
 * and the replies leave by that line: the one she wrote to, at her local price. Without a memory
 * (Redis lost it, or a proactive message weeks later) the contact's `source` — the line she first
 * wrote through — decides, then the first line added.
 */
@Injectable()
export class SmsRouter implements Sender<SmsMessage> {
  private readonly log = new Logger(SmsRouter.name);
  private readonly lines = new Map<string, Sender<SmsMessage>>();
  private readonly keys: SmsRedisKeys;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(ContactsRepository) private readonly contacts: ContactsRepository,
  ) {
    this.keys = new SmsRedisKeys(config.redis.prefix);
  }

  add(line: string, sender: Sender<SmsMessage>): void {
    if (this.lines.has(line)) throw new Error(`SMS line ${line} is already added`);
    this.lines.set(line, sender);
  }

  lineIds(): string[] {
    return [...this.lines.keys()];
  }

  /** Remembers the line an SMS from `address` came through (keyed by her blind index, never the number). */
  async remember(line: string, address: string): Promise<void> {
    await this.redis.set(this.keys.lastLine(this.index.of('sms', address)), line, { expiration: { type: 'EX', value: LAST_LINE_TTL_SECONDS } });
  }

  /** The line a message to `address` leaves by. */
  async lineFor(address: string, contactId: string | null): Promise<string> {
    const remembered = await this.redis.get(this.keys.lastLine(this.index.of('sms', address)));
    if (remembered && this.lines.has(remembered)) return remembered;
    const source = contactId ? (await this.contacts.findById(contactId))?.source : undefined;
    if (source && this.lines.has(source)) return source;
    const first = this.lines.keys().next();
    if (first.done) throw new Error('no SMS line added');
    return first.value;
  }

  async send(request: SendRequest<SmsMessage>): Promise<SendResult> {
    let line: string;
    try {
      line = await this.lineFor(request.address, request.contactId);
    } catch {
      // Nothing reached a provider yet: safe to try again later.
      throw new SendError('retryable', 'sms_line_unavailable');
    }
    this.log.debug(`SMS leaves by line ${line}`);
    // the row records the line, so erasure asks the provider that really sent it
    return { ...(await this.lines.get(line)!.send(request)), line };
  }
}
