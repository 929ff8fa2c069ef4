import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import { CallbacksModule } from '../../src/callbacks/callbacks.module';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { CallbackScheduler } from '../../src/callbacks/callback.scheduler';
import { CALLBACK_SETTINGS, callbackSettings, type CallbackSettings } from '../../src/callbacks/callback.settings';
import { CallbackWorker } from '../../src/callbacks/callback.worker';
import { CallbackWorkflow } from '../../src/callbacks/callback.workflow';
import { StaffNotifier } from '../../src/callbacks/staff.notifier';
import { CLOCK, ManualClock } from '../../src/common/clock';
import { ClockModule } from '../../src/common/clock.module';
import { loadConfig, type Config } from '../../src/config/config';
import { ConfigModule } from '../../src/config/config.module';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { ContentModule } from '../../src/content/content.module';
import { ConversationService } from '../../src/conversations/conversation.service';
import { CONVERSATION_TIMINGS } from '../../src/conversations/conversation.timings';
import { ConversationsModule } from '../../src/conversations/conversations.module';
import type { ChannelName } from '../../src/common/channel-name';
import { OutboundRegistry } from '../../src/conversations/outbound.registry';
import { CryptoModule } from '../../src/crypto/crypto.module';
import { DATABASE_HANDLE, DatabaseModule } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import type { Output } from '../../src/engine/engine.types';
import { LoggingModule } from '../../src/logging/logger.module';
import { RedisModule } from '../../src/redis/redis.module';
import { RecordingPort } from '../conversations/conversation-harness';
import { timings } from '../conversations/redis-test.helper';

export function callbackTestConfig(opts: { redisUrl: string; prefix: string; databaseUrl: string }): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: opts.redisUrl,
    REDIS_PREFIX: opts.prefix,
    DATABASE_URL: opts.databaseUrl,
    DATA_DIR: '/nonexistent-sira-test',
    SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    SIMULATOR_ENABLED: 'false',
  });
}

/** One running service with the callback module, messages handed straight to the conversation service. */
export interface CallbackApp {
  app: NestExpressApplication;
  clock: ManualClock;
  requests: CallbackRequestsRepository;
  workflow: CallbackWorkflow;
  scheduler: CallbackScheduler;
  worker: CallbackWorker;
  notifier: StaffNotifier;
  contacts: ContactsRepository;
  db: DatabaseHandle;
  ports: Record<'sms' | 'telegram', RecordingPort>;
  /** sends one text and returns the outputs handed to the channel for it. */
  send(channel: ChannelName, from: string, text: string): Promise<Output[]>;
  /** sends each text in turn; the outputs of the last one. */
  conversation(channel: ChannelName, from: string, texts: string[]): Promise<Output[]>;
  close(): Promise<void>;
}

export async function startCallbackApp(config: Config, settings: Partial<CallbackSettings> = {}, clock = new ManualClock()): Promise<CallbackApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), LoggingModule, ClockModule, DatabaseModule, CryptoModule, RedisModule, ContentModule, CallbacksModule, ConversationsModule],
  })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .overrideProvider(CONVERSATION_TIMINGS)
    .useValue(timings())
    .overrideProvider(CALLBACK_SETTINGS)
    .useValue({ ...callbackSettings(config), ...settings })
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: process.env.CB_DEBUG ? ['log','error','warn','debug'] : false });
  await app.init();
  const ports = { sms: new RecordingPort(), telegram: new RecordingPort() };
  app.get(OutboundRegistry).register('sms', ports.sms);
  app.get(OutboundRegistry).register('telegram', ports.telegram);
  const service = app.get(ConversationService);
  const send = async (channel: ChannelName, from: string, text: string) => {
    const port = ports[channel as 'sms' | 'telegram'];
    const before = port.sent.length;
    clock.advance(60_000);
    await service.handle({ channel, providerMessageId: `m${randomBytes(8).toString('hex')}`, address: from, input: { kind: 'text', text }, receivedAt: clock.now() });
    return port.sent.slice(before).flatMap((s) => s.outputs);
  };
  return {
    app,
    clock,
    requests: app.get(CallbackRequestsRepository),
    workflow: app.get(CallbackWorkflow),
    scheduler: app.get(CallbackScheduler),
    worker: app.get(CallbackWorker),
    notifier: app.get(StaffNotifier),
    contacts: app.get(ContactsRepository),
    db: app.get<DatabaseHandle>(DATABASE_HANDLE),
    ports,
    send,
    conversation: async (channel, from, texts) => {
      let last: Output[] = [];
      for (const text of texts) last = await send(channel, from, text);
      return last;
    },
    close: () => app.close(),
  };
}

/** Rows in one of the callback tables. */
export async function countRows(db: DatabaseHandle, table: 'callback_requests' | 'callback_transitions'): Promise<number> {
  const [row] = await db.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
  return Number(row.n);
}

export function texts(outputs: Output[]): string[] {
  return outputs.map((o) => o.text);
}

/** A random Malian mobile number, different in every test. */
export function malianNumber(): string {
  return `+2237${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}
