import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { sql } from 'drizzle-orm';
import { CallbacksModule } from '../../src/callbacks/callbacks.module';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { CallbackScheduler } from '../../src/callbacks/callback.scheduler';
import { CALLBACK_SETTINGS, callbackSettings, type CallbackSettings } from '../../src/callbacks/callback.settings';
import { CallbackWorker } from '../../src/callbacks/callback.worker';
import { CallbackWorkflow } from '../../src/callbacks/callback.workflow';
import { StaffNotifier } from '../../src/callbacks/staff.notifier';
import type { ChannelName } from '../../src/common/channel-name';
import { ManualClock } from '../../src/common/clock';
import type { Config } from '../../src/config/config';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { ConversationService } from '../../src/conversations/conversation.service';
import { ConversationsModule } from '../../src/conversations/conversations.module';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import type { Output } from '../../src/engine/engine.types';
import { startApp, type RecordingPort } from '../support/app-harness';
import { testConfig } from '../support/test-config';

export function callbackTestConfig(opts: { redisUrl: string; prefix: string; databaseUrl: string }): Config {
  return testConfig({ ...opts, logLevel: 'silent' });
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
  const { app, ports } = await startApp({
    config,
    core: true,
    modules: [CallbacksModule, ConversationsModule],
    clock,
    timings: {},
    override: (c) => [[CALLBACK_SETTINGS, { ...callbackSettings(c), ...settings }]],
    http: 'init',
    logger: process.env.CB_DEBUG ? ['log', 'error', 'warn', 'debug'] : false,
    record: ['sms', 'telegram'],
  });
  const service = app.get(ConversationService);
  const send = async (channel: ChannelName, from: string, text: string) => {
    const port = ports[channel as 'sms' | 'telegram']!;
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
    ports: ports as CallbackApp['ports'],
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
export { malianNumber } from '../sms/sms-test.helpers';
