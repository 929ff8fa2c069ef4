import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Body, Controller, HttpCode, Module, Post, Query } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { ManualClock, CLOCK } from '../../src/common/clock';
import { ClockModule } from '../../src/common/clock.module';
import { loadConfig, type Config } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { ContentModule } from '../../src/content/content.module';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { ConversationService } from '../../src/conversations/conversation.service';
import { CONVERSATION_TIMINGS, type ConversationTimings } from '../../src/conversations/conversation.timings';
import { ConversationsModule } from '../../src/conversations/conversations.module';
import type { InboundMessage } from '../../src/conversations/inbound-message';
import { OutboundRegistry, type OutboundPort } from '../../src/conversations/outbound.registry';
import { CryptoModule } from '../../src/crypto/crypto.module';
import { DatabaseModule } from '../../src/db/database.module';
import { HealthModule } from '../../src/health/health.module';
import { configureHttp } from '../../src/http.setup';
import { LoggingModule } from '../../src/logging/logger.module';
import { REDIS, RedisModule, type RedisClient } from '../../src/redis/redis.module';
import type { Output } from '../../src/engine/engine.types';
import { TEST_REDIS_URL, timings } from './redis-test.helper';

/** Collects every log line the instance writes (pino destination). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(chunk.toString('utf8'));
    done();
  }
  text(): string {
    return this.lines.join('');
  }
}

/** Configuration shared by the "processes" of one test file: one Redis prefix, one database, one key set. */
export function testConfig(prefix: string, databaseUrl: string, logLevel = 'silent'): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: logLevel,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    DATABASE_URL: databaseUrl,
    DATA_DIR: '/nonexistent-sira-test',
    SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    SIMULATOR_ENABLED: 'false',
  });
}

/** A channel sink that records what it is handed; `before` lets a test slow it down or make it fail. */
export class RecordingPort implements OutboundPort {
  readonly sent: { address: string; language: string; outputs: Output[] }[] = [];
  before: () => Promise<void> = async () => undefined;
  async deliver(address: string, language: string, outputs: Output[]): Promise<void> {
    await this.before();
    this.sent.push({ address, language, outputs });
  }
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
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      LoggingModule,
      ...(options.logs ? [LoggingModule.captureTo(options.logs)] : []),
      ClockModule,
      DatabaseModule,
      CryptoModule,
      RedisModule,
      ContentModule,
      ConversationsModule,
      HealthModule,
      TestInboundModule,
    ],
  })
    .overrideProvider(CLOCK)
    .useValue(options.clock ?? new ManualClock())
    .overrideProvider(CONVERSATION_TIMINGS)
    .useValue(timings(options.timings))
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  configureHttp(app);
  await app.init();
  const sms = new RecordingPort();
  app.get(OutboundRegistry).register('sms', sms);
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
export function randomNumber(): string {
  return `+2237${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}
