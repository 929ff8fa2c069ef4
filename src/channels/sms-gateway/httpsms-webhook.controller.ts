import { BadRequestException, Body, Controller, ForbiddenException, Headers, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { FlashCalls } from '../voice/flash-calls';
import { HTTPSMS_CALL_MISSED, httpSmsCallMissedSchema, httpSmsEventSchema } from './httpsms.dto';
import { isValidHttpSmsToken } from './httpsms-token';
import { invalidFields } from './sms-gateway.dto';
import { SmsGatewayLines } from './sms-gateway.lines';
import { SMS_GATEWAY_WEBHOOK_PATH } from './sms-gateway-webhook.controller';

/** Register `<PUBLIC_BASE_URL>/webhooks/sms-gateway/<phone>/httpsms` in httpSMS, with the phone's signing key. */
export const HTTPSMS_WEBHOOK_SUFFIX = 'httpsms';

/**
 * A relay phone running httpSMS reports the calls its SIM missed: each one is a flash, a free way for
 * her to ask Sira to call her back (a local number, nothing billed to her). Only translates: the
 * token first (403, the same answer for a phone that is not configured), then the event (400 naming
 * fields), then her number to FlashCalls, which decides (and is `off` without a voice provider).
 * Other httpSMS events are acknowledged and ignored: its SMS go through the phone's SMS app.
 */
@Controller()
export class HttpSmsWebhookController {
  private readonly log = new Logger(HttpSmsWebhookController.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SmsGatewayLines) private readonly lines: SmsGatewayLines,
    @Inject(FlashCalls) private readonly flash: FlashCalls,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(`${SMS_GATEWAY_WEBHOOK_PATH}/:phone/${HTTPSMS_WEBHOOK_SUFFIX}`)
  @HttpCode(200)
  async event(@Param('phone') phone: string, @Req() req: Request, @Body() body: unknown, @Headers('authorization') authorization?: string): Promise<{ ok: true }> {
    const key = this.lines.signingKeyOf(phone);
    const url = `${this.config.http.publicBaseUrl}${req.originalUrl}`;
    if (!key || !isValidHttpSmsToken(key, authorization, url, this.clock.now(), this.config.smsGateway!.signatureToleranceMs)) {
      throw new ForbiddenException('invalid signature');
    }
    const event = parse(httpSmsEventSchema, body);
    if (event.type !== HTTPSMS_CALL_MISSED) {
      this.log.debug(`relay ${phone}: httpSMS event ignored`);
      return { ok: true };
    }
    const missed = parse(httpSmsCallMissedSchema, event.data, 'data');
    const outcome = await this.flash.request(missed.contact);
    this.log.debug(`relay ${phone}: missed call, return call ${outcome}`);
    return { ok: true };
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestException(`invalid fields: ${prefix ? `${prefix}.` : ''}${invalidFields(parsed.error)}`);
  return parsed.data;
}
