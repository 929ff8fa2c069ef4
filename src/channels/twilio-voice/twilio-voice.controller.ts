import { BadRequestException, Body, Controller, ForbiddenException, Header, Headers, HttpCode, Inject, Logger, NotFoundException, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { z } from 'zod';
import { CLOCK, type Clock } from '../../common/clock';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { AnonymousCountsRepository, AnonymousMetric } from '../../privacy/anonymous-counts.repository';
import { invalidFields } from '../twilio/twilio.dto';
import { isValidTwilioSignature } from '../twilio/twilio-signature';
import { EMPTY_TWIML } from '../twilio/twilio-webhook.controller';
import { ReturnCalls } from '../voice/return-calls.service';
import { VoiceCalls, type VoiceTurnRequest } from '../voice/voice-calls.service';
import type { VoiceListen } from '../voice/voice-prompt';
import { isE164, twilioCallSchema, twilioCallStatusSchema, twilioKeyQuerySchema, type TwilioCall } from './twilio-voice.dto';
import { TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_PATH, TWILIO_VOICE_STATUS_PATH } from './twilio-voice.paths';
import { rejectTwiml, voiceTwiml } from './voice-twiml';

/**
 * Twilio Voice's webhooks. Only translates: the signature first (403, nothing processed) over
 * PUBLIC_BASE_URL + the path and query Twilio was given, then the form (400 naming fields), then the
 * provider-neutral voice channel, whose prompt is the TwiML answer.
 */
@Controller()
export class TwilioVoiceController {
  private readonly log = new Logger(TwilioVoiceController.name);

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(VoiceCalls) private readonly calls: VoiceCalls,
    @Inject(ReturnCalls) private readonly returnCalls: ReturnCalls,
    @Inject(AnonymousCountsRepository) private readonly counts: AnonymousCountsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A call comes in: its first prompt. */
  @Post(TWILIO_VOICE_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async call(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.verified(req, body, signature);
    const line = this.lineOf(form.To);
    if (!this.fromServedCaller(form)) return rejectTwiml();
    if (line === 'flash') {
      // never answered, never billed to her: Sira calls her back (or says nothing, when it may not)
      const outcome = await this.returnCalls.request(form.From);
      this.log.debug(`flash call: ${outcome}`);
      return rejectTwiml();
    }
    return this.respond({ callId: form.CallSid, step: 0, from: form.From, provider: 'twilio', listening: 'key', silences: 0 });
  }

  /** A return call Sira placed was answered: a machine hears nothing; a person hears the neutral greeting. */
  @Post(TWILIO_VOICE_ANSWERED_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async answered(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.verified(req, body, signature);
    if (/^(machine|fax)/.test(form.AnsweredBy ?? '')) return voiceTwiml({ pieces: [], listen: 'none' }, () => '');
    const base = `${this.config.http.publicBaseUrl}${TWILIO_VOICE_KEY_PATH}`;
    return voiceTwiml(await this.calls.greeting(), () => `${base}?n=1&l=greet&s=0`);
  }

  /** A `<Gather>` came back: a key, a number, or silence. */
  @Post(TWILIO_VOICE_KEY_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async key(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    const form = this.verified(req, body, signature);
    const query = twilioKeyQuerySchema.safeParse(req.query);
    if (!query.success) throw new BadRequestException(`invalid fields: ${invalidFields(query.error)}`);
    // our side of the call: the number she called, or the one Sira called her from
    if (this.lineOf(this.config.voice!.numbers.includes(form.From) ? form.From : form.To) !== 'voice') throw new NotFoundException('not a voice number');
    const callee = this.returnCallee(form);
    if (!this.servedNumber(callee)) return rejectTwiml();
    const { n, l, s } = query.data;
    if (l === 'greet') {
      // a return call: nothing is said until someone presses a key; no key, it hangs up
      if (!(form.Digits ?? '').replace(/[^0-9*#]/g, '')) return voiceTwiml({ pieces: [], listen: 'none' }, () => '');
      return this.respond({ callId: form.CallSid, step: n, from: callee, provider: 'twilio', listening: 'key', silences: 0 });
    }
    return this.respond({ callId: form.CallSid, step: n, from: callee, provider: 'twilio', digits: form.Digits ?? '', listening: l, silences: s });
  }

  /** The call's statuses: a finished call counts, with its minutes (no number, no call id kept). */
  @Post(TWILIO_VOICE_STATUS_PATH)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml')
  async status(@Req() req: Request, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string): Promise<string> {
    this.checkSignature(req, body, signature);
    const parsed = twilioCallStatusSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(`invalid fields: ${invalidFields(parsed.error)}`);
    if (parsed.data.CallStatus === 'completed') {
      const at = new Date(this.clock.now());
      await this.counts.add(AnonymousMetric.VoiceCalls, 'voice', at);
      await this.counts.add(AnonymousMetric.VoiceSeconds, 'voice', at, Number(parsed.data.CallDuration ?? 0));
    }
    return EMPTY_TWIML;
  }

  private async respond(request: VoiceTurnRequest): Promise<string> {
    const answer = await this.calls.answer(request);
    const base = `${this.config.http.publicBaseUrl}${TWILIO_VOICE_KEY_PATH}`;
    const action = (listen: Exclude<VoiceListen, 'none'>) => `${base}?n=${request.step + 1}&l=${listen}&s=${answer.silences}`;
    return voiceTwiml(answer.prompt, action);
  }

  /** Which of our lines a call reached; any other number is not ours (404). */
  private lineOf(to: string): 'voice' | 'flash' {
    const voice = this.config.voice!;
    if (voice.numbers.includes(to)) return 'voice';
    if (voice.returnCalls.flashNumbers.includes(to)) return 'flash';
    throw new NotFoundException('not a voice number');
  }

  /** On a call Sira placed, she is the `To`; on hers, the `From`. */
  private returnCallee(form: TwilioCall): string {
    return this.config.voice!.numbers.includes(form.From) ? form.To : form.From;
  }

  private fromServedCaller(form: TwilioCall): boolean {
    return this.servedNumber(form.From);
  }

  /** A number in a served country (a withheld caller id is a word, not a number): anything else is not taken. */
  private servedNumber(number: string): boolean {
    if (!isE164(number)) return false;
    const parsed = parsePhoneNumberFromString(number);
    return !!parsed && this.config.sms.allowedCountryCodes.includes(parsed.countryCallingCode);
  }

  private verified(req: Request, body: unknown, signature: string | undefined): TwilioCall {
    this.checkSignature(req, body, signature);
    const parsed = twilioCallSchema.safeParse(body);
    if (!parsed.success) throw new BadRequestException(`invalid fields: ${invalidFields(parsed.error)}`);
    return parsed.data;
  }

  private checkSignature(req: Request, body: unknown, signature: string | undefined): void {
    const params = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    if (!isValidTwilioSignature(this.config.twilio!.authToken, `${this.config.http.publicBaseUrl}${req.originalUrl}`, params, signature)) {
      this.log.debug('twilio voice request with an invalid signature');
      throw new ForbiddenException('invalid signature');
    }
  }
}
