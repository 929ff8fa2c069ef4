import { Body, Controller, ForbiddenException, Get, Header, Headers, HttpCode, Inject, Post, Query, Req, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { WhatsAppInboundHandler } from './whatsapp-inbound.handler';
import { verifyTokenMatches, WHATSAPP_SIGNATURE_HEADER, whatsappSignatureMatches } from './whatsapp-signature';

/** What Meta sends as hub.challenge (an integer); anything else is not echoed. */
const CHALLENGE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * `GET /webhooks/whatsapp`: Meta's subscription check (hub.mode=subscribe and our verify token: the
 * challenge is echoed as text; 403 otherwise). `POST /webhooks/whatsapp`: messages and statuses, signed
 * over the raw body with the app secret; a wrong or missing signature is 403 and nothing is read. 200
 * means "handled, do not resend"; an error (database down…) answers 500 so Meta delivers it again.
 */
@Controller('webhooks')
export class WhatsAppWebhookController {
  constructor(
    @Inject(WhatsAppInboundHandler) private readonly handler: WhatsAppInboundHandler,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  @Get('whatsapp')
  @Header('content-type', 'text/plain; charset=utf-8')
  verify(@Query('hub.mode') mode: unknown, @Query('hub.verify_token') token: unknown, @Query('hub.challenge') challenge: unknown): string {
    const ok = mode === 'subscribe' && verifyTokenMatches(this.config.whatsapp?.verifyToken, token) && typeof challenge === 'string' && CHALLENGE.test(challenge);
    if (!ok) throw new ForbiddenException();
    return challenge;
  }

  @Post('whatsapp')
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers(WHATSAPP_SIGNATURE_HEADER) signature: unknown, @Body() body: unknown): Promise<{ ok: true }> {
    if (!whatsappSignatureMatches(this.config.whatsapp?.appSecret, req.rawBody, signature)) throw new ForbiddenException('invalid signature');
    await this.handler.process(body);
    return { ok: true };
  }
}
