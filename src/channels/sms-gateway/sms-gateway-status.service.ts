import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { REDIS, type RedisClient } from '../../redis/redis.module';
import { SmsGatewayLines } from './sms-gateway.lines';

/** What staff see of one relay phone. */
export interface RelayPhoneStatus {
  /** the phone's name in SMS_GATEWAY_PHONES. */
  phone: string;
  /** its lines (`sms-gateway:<id>`, one per SIM). */
  lines: string[];
  /** the last time it called Sira (any signed webhook: ping, receipt, SMS); null: not since Redis knows. */
  lastSeenAt: Date | null;
  /** how long it has been silent (counted from Sira's start when never seen). */
  silentForMs: number;
  /** silent longer than SMS_GATEWAY_SILENT_MINUTES: SMS through it are probably not arriving. */
  outage: boolean;
}

/**
 * Relay health: every signed webhook from a phone (`system:ping` — turn on the app's Ping setting —
 * receipts and received SMS) marks it seen; a phone silent for longer than SMS_GATEWAY_SILENT_MINUTES
 * is an outage. Kept in Redis so every process agrees. Read by /health/ready and the staff dashboard.
 * With no relay configured it reports no phones.
 */
@Injectable()
export class SmsGatewayStatus {
  private readonly key: string;
  private readonly startedAt: number;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SmsGatewayLines) private readonly lines: SmsGatewayLines,
  ) {
    this.key = `${config.redis.prefix}:sms-gateway:last-seen`;
    this.startedAt = clock.now();
  }

  /** Whether any relay phone is configured. */
  configured(): boolean {
    return this.lines.phones().length > 0;
  }

  async seen(phone: string): Promise<void> {
    await this.redis.hSet(this.key, phone, String(this.clock.now()));
  }

  async phones(): Promise<RelayPhoneStatus[]> {
    const phones = this.lines.phones();
    if (phones.length === 0) return [];
    const seen = await this.redis.hmGet(this.key, phones);
    const now = this.clock.now();
    const silentAfter = this.config.smsGateway!.silentAfterMs;
    return phones.map((phone, i) => {
      const at = seen[i] ? Number(seen[i]) : null;
      const silentForMs = Math.max(0, now - (at ?? this.startedAt));
      return { phone, lines: this.lines.ofPhone(phone).map((l) => l.line), lastSeenAt: at === null ? null : new Date(at), silentForMs, outage: silentForMs > silentAfter };
    });
  }

  /** The names of the phones in outage now. */
  async outages(): Promise<string[]> {
    return (await this.phones()).filter((p) => p.outage).map((p) => p.phone);
  }
}
