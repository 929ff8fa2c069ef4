import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';

/**
 * The same NestJS webhook on Express (what Sira runs) or on Fastify (`@nestjs/platform-fastify`), as its
 * own process: a form body parsed, its Twilio signature checked, empty TwiML answered. Only the HTTP
 * layer differs, so the two side by side show what switching adapters could give the webhook path
 * (bench/http-adapters.bench.ts). argv: port, 'express' | 'fastify', auth token, public URL.
 */
const [port, adapter, authToken, publicUrl] = process.argv.slice(2) as [string, 'express' | 'fastify', string, string];
const TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

@Controller()
class WebhookController {
  @Post('/webhooks/twilio/sms')
  @HttpCode(200)
  sms(@Req() req: { headers: Record<string, string | undefined> }, @Body() body: Record<string, string>): string {
    if (!validateRequest(authToken, req.headers['x-twilio-signature'] ?? '', `${publicUrl}/webhooks/twilio/sms`, body)) throw new Error('bad signature');
    return TWIML;
  }
}

@Module({ controllers: [WebhookController] })
class BenchModule {}

async function main(): Promise<void> {
  const app = adapter === 'fastify' ? await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false }) : await NestFactory.create(BenchModule, { logger: false });
  await app.listen(Number(port), '127.0.0.1');
  process.send?.('ready');
}

void main();
