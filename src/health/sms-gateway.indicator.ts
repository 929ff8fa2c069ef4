import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorFunction } from '@nestjs/terminus';
import { SmsGatewayStatus } from '../channels/sms-gateway/sms-gateway-status.service';

/**
 * Relay phones in /health/ready (`sms_gateway`), only when some are configured. A phone silent for
 * longer than SMS_GATEWAY_SILENT_MINUTES is reported as `degraded: true` with its name in `outages`,
 * and the check stays up (200): the instance still serves Telegram and the other lines, and a 503
 * would take it out of the load balancer — the phone's own webhooks with it, so it could never
 * recover. Alert on `degraded`; staff see the same on the dashboard.
 */
@Injectable()
export class SmsGatewayIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(SmsGatewayStatus) private readonly relay?: SmsGatewayStatus,
  ) {}

  /** The checks to add to readiness: none without relay phones. */
  checks(): HealthIndicatorFunction[] {
    return this.relay?.configured() ? [() => this.check()] : [];
  }

  async check() {
    const session = this.indicators.check('sms_gateway');
    const phones = await this.relay!.phones().catch(() => null);
    if (!phones) return session.up({ degraded: true, reason: 'unknown (redis)' });
    const outages = phones.filter((p) => p.outage).map((p) => p.phone);
    return session.up({
      degraded: outages.length > 0,
      outages,
      phones: phones.map((p) => ({ phone: p.phone, lastSeenAt: p.lastSeenAt?.toISOString() ?? null, silentForSeconds: Math.round(p.silentForMs / 1000), outage: p.outage })),
    });
  }
}
