import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { BlindIndex } from '../../crypto/blind-index';
import { SmsDeliveryService } from '../sms/sms-delivery.service';
import { SmsInboundService } from '../sms/sms-inbound.service';
import {
  failureCode,
  invalidFields,
  SMS_GATEWAY_STATUS_EVENTS,
  smsGatewayEnvelopeSchema,
  smsGatewayReceivedSchema,
  smsGatewayStatusSchema,
} from './sms-gateway.dto';
import { SmsGatewayLines } from './sms-gateway.lines';
import { smsGatewayMessageKey } from './sms-gateway-message-key';
import { isValidSmsGatewaySignature } from './sms-gateway-signature';
import { SmsGatewayStatus } from './sms-gateway-status.service';

/** Register `<PUBLIC_BASE_URL>/webhooks/sms-gateway/<phone>` in the app for each event. */
export const SMS_GATEWAY_WEBHOOK_PATH = '/webhooks/sms-gateway';

/**
 * The relay phone's webhooks. Only translates: the phone's signature within the replay window first
 * (403, nothing processed, the same answer for a phone that is not configured), then the payload
 * (400, naming fields, never values), then the provider-neutral SMS channel. Answers at once; any
 * signed event marks the phone seen. Events Sira does not use are acknowledged (or the app retries
 * them for two days).
 */
@Controller()
export class SmsGatewayWebhookController {
  private readonly log = new Logger(SmsGatewayWebhookController.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SmsGatewayLines) private readonly lines: SmsGatewayLines,
    @Inject(SmsInboundService) private readonly inbound: SmsInboundService,
    @Inject(SmsDeliveryService) private readonly delivery: SmsDeliveryService,
    @Inject(SmsGatewayStatus) private readonly status: SmsGatewayStatus,
    @Inject(BlindIndex) private readonly index: BlindIndex,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(`${SMS_GATEWAY_WEBHOOK_PATH}/:phone`)
  @HttpCode(200)
  async event(
    @Param('phone') phone: string,
    @Req() req: RawBodyRequest<Request>,
    @Body() body: unknown,
    @Headers('x-signature') signature?: string,
    @Headers('x-timestamp') timestamp?: string,
  ): Promise<{ ok: true }> {
    const key = this.lines.signingKeyOf(phone);
    const tolerance = this.config.smsGateway!.signatureToleranceMs;
    if (!key || !isValidSmsGatewaySignature(key, req.rawBody, timestamp, signature, this.clock.now(), tolerance)) {
      throw new ForbiddenException('invalid signature');
    }
    const envelope = parse(smsGatewayEnvelopeSchema, body);
    await this.status.seen(phone);
    if (envelope.event === 'sms:received') await this.received(phone, envelope.payload);
    else if (envelope.event in SMS_GATEWAY_STATUS_EVENTS) await this.receipt(envelope.event, envelope.payload);
    else this.log.debug(`relay ${phone}: ${envelope.event === 'system:ping' ? 'ping' : 'event ignored'}`);
    return { ok: true };
  }

  private async received(phone: string, raw: unknown): Promise<void> {
    const payload = parse(smsGatewayReceivedSchema, raw, 'payload');
    const line = this.lines.inboundLine(phone, payload.simNumber)!;
    const outcome = await this.inbound.accept({
      provider: line.line,
      providerMessageId: smsGatewayMessageKey(this.index, line.line, payload),
      from: (payload.sender ?? payload.phoneNumber)!,
      to: line.line,
      text: payload.message,
      mediaCount: 0,
      receivedAt: this.clock.now(),
    });
    this.log.debug(`relay sms ${outcome}`);
  }

  private async receipt(event: string, raw: unknown): Promise<void> {
    const payload = parse(smsGatewayStatusSchema, raw, 'payload');
    const status = SMS_GATEWAY_STATUS_EVENTS[event]!;
    await this.delivery.apply({
      providerId: payload.messageId,
      rowId: payload.messageId,
      status,
      errorCode: status === 'failed' ? failureCode(payload.reason) : null,
    });
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestException(`invalid fields: ${prefix ? `${prefix}.` : ''}${invalidFields(parsed.error)}`);
  return parsed.data;
}
