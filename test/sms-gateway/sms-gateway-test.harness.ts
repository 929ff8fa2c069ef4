import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../../src/app.module';
import { SMS_GATEWAY_WEBHOOK_PATH } from '../../src/channels/sms-gateway/sms-gateway-webhook.controller';
import { SmsSpool } from '../../src/channels/sms/sms-spool';
import { CLOCK, type Clock } from '../../src/common/clock';
import { configureHttp } from '../../src/http.setup';
import { LoggingModule } from '../../src/logging/logger.module';
import type { LogCapture } from '../conversations/conversation-harness';
import { FakeSmsGatewayPhone } from '../fakes/fake-sms-gateway.server';
import { smsTestConfig, sleep } from '../sms/sms-test.helpers';
import type { RunningSmsApp } from '../sms/twilio-test.harness';

/** Real time plus an offset a test can move forward (a phone falls silent without waiting 15 minutes). */
export class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

export interface RelayLineSpec {
  id: string;
  phone?: string;
  fake: FakeSmsGatewayPhone;
  simNumber?: number;
  segmentsPerMinute?: number;
}

/** SMS_GATEWAY_PHONES and fast pacing for the fakes. */
export function relayEnv(lines: RelayLineSpec[], extra: Record<string, string> = {}): Record<string, string> {
  const phones = lines.map(({ id, phone, fake, simNumber, segmentsPerMinute }) => ({
    id,
    ...(phone ? { phone } : {}),
    apiUrl: fake.url,
    username: fake.username,
    password: fake.password,
    signingKey: fake.signingKey,
    ...(simNumber ? { simNumber } : {}),
    segmentsPerMinute: segmentsPerMinute ?? 600,
  }));
  return {
    PUBLIC_BASE_URL: 'https://sira.example.org',
    SMS_GATEWAY_PHONES: JSON.stringify(phones),
    SMS_GATEWAY_TIMEOUT_MS: '1000',
    SMS_SEGMENTS_PER_SECOND: '100',
    SMS_SENDER_MESSAGES_PER_MINUTE: '200',
    ...extra,
  };
}

export function newFakePhone(): FakeSmsGatewayPhone {
  return new FakeSmsGatewayPhone('sms', randomBytes(8).toString('hex'), randomBytes(16).toString('hex'));
}

/** The whole application with the production HTTP stack and a clock the test can move. */
export async function startRelayApp(
  prefix: string,
  databaseUrl: string,
  env: Record<string, string>,
  options: { clock?: ShiftedClock; logs?: LogCapture } = {},
): Promise<RunningSmsApp & { clock: ShiftedClock }> {
  SmsSpool.intervalMs = 200;
  const clock = options.clock ?? new ShiftedClock();
  const config = smsTestConfig(prefix, databaseUrl, env);
  const logging = options.logs ? [LoggingModule.captureTo(options.logs)] : [];
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config), ...logging] })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(options.logs ? { bodyParser: false, bufferLogs: true } : { bodyParser: false, logger: false });
  if (options.logs) app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, config, clock, close: () => app.close() };
}

export function webhookUrl(app: RunningSmsApp, phone: string): string {
  return `${app.url}${SMS_GATEWAY_WEBHOOK_PATH}/${phone}`;
}

/** An `sms:received` payload as the app sends it (its messageId is derived from the content). */
export function receivedPayload(from: string, text: string, receivedAt = new Date(), simNumber: number | null = 1) {
  return {
    messageId: Buffer.from(text).toString('hex').slice(0, 16) || 'empty',
    message: text,
    sender: from,
    recipient: null,
    phoneNumber: from,
    simNumber,
    receivedAt: receivedAt.toISOString().replace('Z', '+00:00'),
  };
}

/** Waits until the number of texts stops changing (replies arrive one by one, paced). */
export async function settle(count: () => number): Promise<void> {
  let last = -1;
  while (last !== count()) {
    last = count();
    await sleep(300);
  }
}
