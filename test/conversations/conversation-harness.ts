import { randomBytes } from 'node:crypto';
import { Body, Controller, HttpCode, Module, Post, Query } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ManualClock } from '../../src/common/clock';
import type { Config } from '../../src/config/config';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { ConversationService } from '../../src/conversations/conversation.service';
import type { ConversationTimings } from '../../src/conversations/conversation.timings';
import { ConversationsModule } from '../../src/conversations/conversations.module';
import type { InboundMessage } from '../../src/conversations/inbound-message';
import { HealthModule } from '../../src/health/health.module';
import { REDIS, type RedisClient } from '../../src/redis/redis.module';
import { startApp, type LogCapture, type RecordingPort } from '../support/app-harness';
import { testConfig as baseConfig } from '../support/test-config';
import { TEST_REDIS_URL } from './redis-test.helper';

export { LogCapture, RecordingPort } from '../support/app-harness';

/** Configuration shared by the "processes" of one test file: one Redis prefix, one database, one key set. */
export function testConfig(prefix: string, databaseUrl: string, logLevel = 'silent'): Config {
  return baseConfig({ prefix, databaseUrl, logLevel, redisUrl: TEST_REDIS_URL });
}

/** A stand-in for a channel webhook, to watch request logging with bodies, queries and secret headers. */
@Controller('test-inbound')
class TestInboundController {
  constructor(private readonly conversations: ConversationService) {}
  @Post()
  @HttpCode(200)
  async receive(@Body() body: { id: string; from: string; text: string }, @Query('token') _token?: string) {
    const result = await this.conversations.handle({
      channel: 'sms',
      providerMessageId: body.id,
      address: body.from,
      input: { kind: 'text', text: body.text },
      receivedAt: Date.now(),
    });
    return { status: result.status };
  }
}

@Module({ imports: [ConversationsModule], controllers: [TestInboundController] })
class TestInboundModule {}

/** One running instance of the service ("a process"), sharing Redis and PostgreSQL with the others. */
export interface Instance {
  app: NestExpressApplication;
  service: ConversationService;
  contacts: ContactsRepository;
  redis: RedisClient;
  sms: RecordingPort;
  sendSms(from: string, text: string, id?: string): ReturnType<ConversationService['handle']>;
  close(): Promise<void>;
}

export async function startInstance(
  config: Config,
  options: { clock?: ManualClock; timings?: Partial<ConversationTimings>; logs?: LogCapture } = {},
): Promise<Instance> {
  const { app, ports } = await startApp({
    config,
    core: true,
    modules: [ConversationsModule, HealthModule, TestInboundModule],
    clock: options.clock,
    timings: options.timings ?? {},
    logs: options.logs,
    logger: 'pino',
    http: 'stack',
    record: ['sms'],
  });
  const sms = ports.sms!;
  const service = app.get(ConversationService);
  return {
    app,
    service,
    contacts: app.get(ContactsRepository),
    redis: app.get<RedisClient>(REDIS),
    sms,
    sendSms: (from, text, id = `SM${randomBytes(16).toString('hex')}`) =>
      service.handle({ channel: 'sms', providerMessageId: id, address: from, input: { kind: 'text', text }, receivedAt: Date.now() } satisfies InboundMessage),
    close: () => app.close(),
  };
}

/** A random Malian-looking number, different in every test. */
export { malianNumber as randomNumber } from '../sms/sms-test.helpers';
