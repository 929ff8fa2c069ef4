import { BadRequestException, Body, Controller, ForbiddenException, Header, Headers, HttpCode, Inject, Logger, Post } from '@nestjs/common';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { SmsDeliveryService } from '../sms/sms-delivery.service';
import { SmsInboundService } from '../sms/sms-inbound.service';
import { invalidFields, toOutboundStatus, twilioInboundSchema, twilioStatusSchema } from './twilio.dto';
import { TWILIO_OPTED_OUT } from './twilio-http.client';
import { isValidTwilioSignature } from './twilio-signature';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH } from './twilio-webhook.paths';

/** Twilio reads an empty TwiML answer as "nothing to send now": replies leave by the outbound queue. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * Twilio's webhooks. Only translates: signature first (403, nothing processed), then the form (400,
 * naming fields, never values), then the provider-neutral SMS channel. Answers at once.
 */
@Controller()
export class TwilioWebhookController {
  private readonly log = new Logger(TwilioWebhookController.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SmsInboundService) private readonly inbound: SmsInboundService,
    @Inject(SmsDeliveryService) private readonly delivery: SmsDeliveryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(TWILIO_SMS_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async sms(@Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.verified(TWILIO_SMS_PATH, body, signature, twilioInboundSchema);
    const outcome = await this.inbound.accept({
      provider: 'twilio',
      providerMessageId: form.MessageSid,
      from: form.From,
      to: form.To,
      text: form.Body,
      mediaCount: Number(form.NumMedia ?? 0),
      receivedAt: this.clock.now(),
    });
    this.log.debug(`twilio sms ${outcome}`);
    return EMPTY_TWIML;
  }

  @Post(TWILIO_STATUS_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async status(@Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.verified(TWILIO_STATUS_PATH, body, signature, twilioStatusSchema);
    await this.delivery.apply({
      providerId: form.MessageSid,
      status: toOutboundStatus(form.MessageStatus),
      errorCode: form.ErrorCode ?? null,
      optedOut: form.ErrorCode === TWILIO_OPTED_OUT,
    });
    return EMPTY_TWIML;
  }

  private verified<S extends z.ZodType>(path: string, body: unknown, signature: string | undefined, schema: S): z.infer<S> {
    const twilio = this.config.twilio!;
    const params = isForm(body) ? body : {};
    if (!isValidTwilioSignature(twilio.authToken, `${this.config.http.publicBaseUrl}${path}`, params, signature)) {
      throw new ForbiddenException('invalid signature');
    }
    const parsed = schema.safeParse(params);
    if (!parsed.success) throw new BadRequestException(`invalid fields: ${invalidFields(parsed.error)}`);
    return parsed.data;
  }
}

function isForm(body: unknown): body is Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}
