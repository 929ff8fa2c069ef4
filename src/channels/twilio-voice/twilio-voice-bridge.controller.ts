import { BadRequestException, Body, Controller, ForbiddenException, Header, Headers, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { invalidFields } from '../twilio/twilio.dto';
import { isValidTwilioSignature } from '../twilio/twilio-signature';
import { EMPTY_TWIML } from '../twilio/twilio-webhook.controller';
import { StaffCallLine } from '../voice/staff-call.port';
import { twilioCallSchema, twilioCallStatusSchema } from './twilio-voice.dto';
import { TWILIO_VOICE_BRIDGE_DONE_PATH, TWILIO_VOICE_BRIDGE_PATH, TWILIO_VOICE_BRIDGE_STATUS_PATH } from './twilio-voice-bridge.paths';

/** Seconds her phone rings. */
const HER_RING_S = 30;

const bridgeQuerySchema = z.object({ c: z.string().uuid() });

/** The Dial's action: Twilio's words for how her leg ended. */
const dialDoneSchema = z.object({
  CallSid: twilioCallSchema.shape.CallSid,
  AccountSid: twilioCallSchema.shape.AccountSid,
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']),
  DialCallDuration: z.string().regex(/^\d{1,6}$/).optional(),
  /** her leg (absent when Twilio never placed it). */
  DialCallSid: twilioCallSchema.shape.CallSid.optional(),
});

/**
 * Twilio's webhooks for a call through Sira. Only translates: the signature first (403) over
 * PUBLIC_BASE_URL + path + the `?c=` Twilio was given, then the form (400), then the StaffCallLine's
 * bridge (staff/), which decides and records. Her number appears only inside `<Number>`, to Twilio.
 */
@Controller()
export class TwilioVoiceBridgeController {
  private readonly log = new Logger(TwilioVoiceBridgeController.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(StaffCallLine) private readonly line: StaffCallLine,
  ) {}

  /** The agent answered: dial her from Sira's number, or hang up when the call may not go on. */
  @Post(TWILIO_VOICE_BRIDGE_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async bridge(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.parse(twilioCallSchema, req, body, signature);
    const callId = this.callId(req);
    const response = new twilio.twiml.VoiceResponse();
    if (/^(machine|fax)/.test(form.AnsweredBy ?? '')) {
      await this.line.bridge.agentUnreached(callId, 'machine');
      response.hangup();
      return response.toString();
    }
    const target = await this.line.bridge.connect(callId, form.CallSid);
    if (!target) {
      response.say({ language: 'fr-FR' }, 'Cet appel n’est plus possible : la demande a changé. Au revoir.');
      response.hangup();
      return response.toString();
    }
    response.say({ language: 'fr-FR' }, 'Sira appelle la personne. Restez en ligne.');
    const dial = response.dial({
      callerId: this.config.voice!.numbers[0],
      action: `${this.config.http.publicBaseUrl}${TWILIO_VOICE_BRIDGE_DONE_PATH}?c=${callId}`,
      method: 'POST',
      timeout: HER_RING_S,
    });
    dial.number(target.to);
    return response.toString();
  }

  /** Her leg ended: the outcome goes to the request; the agent's call ends. */
  @Post(TWILIO_VOICE_BRIDGE_DONE_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async done(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.parse(dialDoneSchema, req, body, signature);
    await this.line.bridge.finished(this.callId(req), {
      status: form.DialCallStatus,
      seconds: Number(form.DialCallDuration ?? 0),
      providerCallId: form.DialCallSid,
    });
    const response = new twilio.twiml.VoiceResponse();
    response.hangup();
    return response.toString();
  }

  /** The agent's leg's final status: unanswered, busy or failed means nobody was dialled. */
  @Post(TWILIO_VOICE_BRIDGE_STATUS_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async status(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.parse(twilioCallStatusSchema, req, body, signature);
    if (['no-answer', 'busy', 'failed', 'canceled'].includes(form.CallStatus)) await this.line.bridge.agentUnreached(this.callId(req), form.CallStatus);
    return EMPTY_TWIML;
  }

  private callId(req: Request): string {
    const query = bridgeQuerySchema.safeParse(req.query);
    if (!query.success) throw new BadRequestException(`invalid fields: ${invalidFields(query.error)}`);
    return query.data.c;
  }

  private parse<T extends z.ZodTypeAny>(schema: T, req: Request, body: unknown, signature: string | undefined): z.infer<T> {
    const params = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (!isValidTwilioSignature(this.config.twilio!.authToken, `${this.config.http.publicBaseUrl}${req.originalUrl}`, params, signature)) {
      this.log.debug('twilio voice bridge request with an invalid signature');
      throw new ForbiddenException('invalid signature');
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(`invalid fields: ${invalidFields(parsed.error)}`);
    return parsed.data;
  }
}
