import { Inject, Module, OnModuleInit } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { eq } from 'drizzle-orm';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { ConversationService } from '../../src/conversations/conversation.service';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { OutboundModule } from '../../src/outbound/outbound.module';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { OutboundService, replyRowId } from '../../src/outbound/outbound.service';
import { OutboundRegistry } from '../../src/conversations/outbound.registry';
import { OutboundJobKind, OutboundQueueName, outboundJobId, SendError, type SendRequest, type Sender } from '../../src/outbound/outbound.types';
import { connectRedis } from '../../src/redis/redis.module';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix } from './sms-test.helpers';
import { startApp } from '../support/app-harness';

/** A sender that records what it was asked to send and fails as the test says. */
class ScriptedSender implements Sender<string> {
  readonly calls: SendRequest<string>[] = [];
  failures: Array<() => never> = [];
  async send(request: SendRequest<string>) {
    this.calls.push(request);
    const fail = this.failures.shift();
    if (fail) fail();
    return { providerId: `P${this.calls.length}` };
  }
}

const sender = new ScriptedSender();

@Module({ imports: [OutboundModule] })
class FakeChannelModule implements OnModuleInit {
  constructor(@Inject(OutboundService) private readonly outbound: OutboundService) {}
  async onModuleInit() {
    await this.outbound.registerChannel<string>({
      channel: 'sms',
      queue: OutboundQueueName.Sms,
      render: (outputs, language) => outputs.map((o) => ({ message: `${language}:${o.text}`, segments: 1, encoding: 'GSM-7' })),
      sender,
      limiter: { max: 50, durationMs: 1000 },
      retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
    });
  }
}

jest.setTimeout(30_000);

describe('outbound queue (real Redis, real PostgreSQL)', () => {
  const prefix = testPrefix('outbound');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: NestExpressApplication;
  let outbound: OutboundService;
  let conversations: ConversationService;
  let contacts: ContactsRepository;
  let database: Database;

  beforeAll(async () => {
    db = await createTestDatabase('outbound');
    ({ app } = await startApp({ prefix, databaseUrl: db.url, modules: [FakeChannelModule], http: 'init' }));
    outbound = app.get(OutboundService);
    conversations = app.get(ConversationService);
    contacts = app.get(ContactsRepository);
    database = app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  beforeEach(() => {
    sender.calls.length = 0;
    sender.failures = [];
  });

  const text = (from: string, body: string) =>
    conversations.handle({ channel: 'sms', providerMessageId: `SM${Math.random().toString(16).slice(2)}`, address: from, input: { kind: 'text', text: body }, receivedAt: Date.now() });

  async function rowsOf(contactId: string) {
    return database.select().from(outboundMessages).where(eq(outboundMessages.contactId, contactId));
  }

  it('sends each reply once, to her number, and records status and cost without body or number', async () => {
    const from = malianNumber();
    const result = await text(from, 'Bonjour');
    await eventually(() => sender.calls.length === result.outputs.length, 10_000, 'replies');
    await sleep(300);
    expect(sender.calls.map((c) => c.address)).toEqual(result.outputs.map(() => from));
    expect(sender.calls.map((c) => c.message)).toEqual(result.outputs.map((o) => `${result.language}:${o.text}`));
    const contact = (await contacts.findByAddress('sms', from))!;
    const rows = await rowsOf(contact.id);
    expect(rows.map((r) => [r.status, r.attempts, r.segments, r.encoding, r.kind])).toEqual(rows.map(() => ['sent', 1, 1, 'GSM-7', 'reply']));
    expect(JSON.stringify(rows)).not.toContain(from.slice(1));
  });

  it('never puts her number in clear into Redis (the job carries it encrypted)', async () => {
    const from = malianNumber();
    const queue = outbound.queueOf('sms')!;
    await queue.pause();
    try {
      await text(from, 'Bonjour');
      const redis = await connectRedis(TEST_REDIS_URL);
      const dump: string[] = [];
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
        for (const key of keys) {
          const type = await redis.type(key);
          if (type === 'hash') dump.push(JSON.stringify(await redis.hGetAll(key)));
          if (type === 'string') dump.push(String(await redis.get(key)));
        }
      }
      await redis.close();
      expect(dump.join('\n')).toContain('v1.k1.'); // the encrypted address is there
      expect(dump.join('\n')).not.toContain(from.slice(4));
    } finally {
      await queue.resume();
    }
    await eventually(() => sender.calls.some((c) => c.address === from), 10_000, 'send after resume');
  });

  it('retries a clear failure with backoff and sends it once it goes through', async () => {
    const from = malianNumber();
    const [first, second] = [new SendError('retryable', '503'), new SendError('retryable', '429', 100)];
    sender.failures = [() => { throw first; }, () => { throw second; }];
    const result = await text(from, 'Bonjour');
    await eventually(() => sender.calls.length === result.outputs.length + 2, 10_000, 'retries');
    const contact = (await contacts.findByAddress('sms', from))!;
    await eventually(async () => (await rowsOf(contact.id)).every((r) => r.status === 'sent'), 5_000, 'all sent');
    const rows = await rowsOf(contact.id);
    expect(rows.map((r) => r.attempts).sort()).toEqual([...rows.map(() => 1).slice(1), 3].sort());
  });

  it('marks an ambiguous failure unknown and never sends that message again', async () => {
    const from = malianNumber();
    sender.failures = [() => { throw new SendError('ambiguous', 'ETIMEDOUT'); }];
    const result = await text(from, 'Bonjour');
    await eventually(() => sender.calls.length === result.outputs.length, 10_000, 'sends');
    await sleep(800);
    expect(sender.calls.length).toBe(result.outputs.length);
    const contact = (await contacts.findByAddress('sms', from))!;
    const rows = await rowsOf(contact.id);
    expect(rows.filter((r) => r.status === 'unknown').map((r) => [r.errorCode, r.attempts])).toEqual([['ETIMEDOUT', 1]]);
    expect((await outbound.queueOf('sms')!.getJobCounts()).delayed).toBe(0);
  });

  it('stops the contact when the provider says she opted out, and queues nothing proactive after', async () => {
    const from = malianNumber();
    sender.failures = [() => { throw new SendError('blocked', '21610', undefined, 'carrier'); }];
    await text(from, 'Bonjour');
    const contactOf = async () => (await contacts.findByAddress('sms', from))!;
    await eventually(async () => (await contactOf()).optedOut, 10_000, 'opted out');
    expect((await contactOf()).optedOutSource).toBe('carrier');
    const before = sender.calls.length;
    const ids = await outbound.enqueue('sms', { address: from, contactId: (await contactOf()).id, language: 'fr', outputs: [{ text: 'x:y' }], kind: OutboundJobKind.Proactive });
    expect(ids).toEqual([]);
    await sleep(500);
    expect(sender.calls.slice(before).filter((c) => c.address === from)).toEqual([]);
  });

  it('sends replies before proactive messages that were queued earlier', async () => {
    const from = malianNumber();
    await text(from, 'Bonjour');
    await eventually(() => sender.calls.some((c) => c.address === from), 10_000, 'first reply');
    const contact = (await contacts.findByAddress('sms', from))!;
    await sleep(300);
    sender.calls.length = 0;
    const queue = outbound.queueOf('sms')!;
    await queue.pause();
    await outbound.enqueue('sms', { address: from, contactId: contact.id, language: 'fr', outputs: [{ text: 'p:1' }, { text: 'p:2' }], kind: OutboundJobKind.Proactive });
    await outbound.enqueue('sms', { address: from, contactId: contact.id, language: 'fr', outputs: [{ text: 'r:1' }], kind: OutboundJobKind.Reply });
    await queue.resume();
    await eventually(() => sender.calls.length === 3, 10_000, 'three sends');
    expect(sender.calls.map((c) => c.message)).toEqual(['fr:r:1', 'fr:p:1', 'fr:p:2']);
  });

  it('keeps her order when an older reply is put back to be tried again: her next turn waits for it', async () => {
    const from = malianNumber();
    await text(from, 'Bonjour');
    await eventually(() => sender.calls.some((c) => c.address === from), 10_000, 'first reply');
    await sleep(300);
    const contact = (await contacts.findByAddress('sms', from))!;
    const queue = outbound.queueOf('sms')!;
    const reply = (answering: string, ...texts: string[]) =>
      outbound.enqueue('sms', { address: from, contactId: contact.id, language: 'fr', outputs: texts.map((t) => ({ text: t })), kind: OutboundJobKind.Reply, answering });
    await queue.pause();
    sender.calls.length = 0;
    // no line could be chosen (Redis down): nothing reached a provider, the reply is queued again for a retry
    sender.failures = [() => { throw new SendError('retryable', 'sms_line_unavailable'); }];
    await reply('twilio:SMorder1', 'turn1:menu');
    await reply('twilio:SMorder2', 'turn2:answer', 'turn2:menu');
    await queue.resume();
    await eventually(() => sender.calls.length === 4, 10_000, 'the retry and her next turn');
    await sleep(300);
    expect(sender.calls.map((c) => c.message)).toEqual(['fr:turn1:menu', 'fr:turn1:menu', 'fr:turn2:answer', 'fr:turn2:menu']);
    expect((await rowsOf(contact.id)).filter((r) => r.status !== 'sent')).toEqual([]);
  });

  it('does not send a reply queued before STOP, but does send the STOP confirmation', async () => {
    const from = malianNumber();
    await text(from, 'Bonjour');
    await eventually(() => sender.calls.some((c) => c.address === from), 10_000, 'first reply');
    await sleep(300);
    const contact = (await contacts.findByAddress('sms', from))!;
    const queue = outbound.queueOf('sms')!;
    await queue.pause();
    sender.calls.length = 0;
    await outbound.enqueue('sms', { address: from, contactId: contact.id, language: 'fr', outputs: [{ text: 'old:reply' }], kind: OutboundJobKind.Reply });
    const stop = await text(from, 'STOP');
    expect(stop.events).toContain('opted_out');
    await queue.resume();
    await eventually(() => sender.calls.length === stop.outputs.length, 10_000, 'stop confirmation');
    await sleep(500);
    expect(sender.calls.map((c) => c.message)).toEqual(stop.outputs.map((o) => `${stop.language}:${o.text}`));
  });
  it('records and sends once the replies of one message handed over twice (a replayed turn), and puts back a job Redis lost', async () => {
    const from = malianNumber();
    await text(from, 'Bonjour');
    await eventually(() => sender.calls.length > 0, 10_000, 'first replies');
    const contact = (await contacts.findByAddress('sms', from))!;
    const registry = app.get(OutboundRegistry);
    const outputs = [{ text: 'menu:prompt' }, { text: 'help:intro' }];
    const meta = { contactId: contact.id, providerMessageId: 'twilio:SMreplayed' };
    const queue = outbound.queueOf('sms')!;
    await queue.pause();
    sender.calls.length = 0;
    try {
      await registry.deliver('sms', from, 'fr', outputs, meta);
      // Redis loses the first reply's job (a kill before its write reached the disk)
      const [first] = await rowsOf(contact.id).then((rows) => rows.filter((r) => r.id === replyRowId('sms', meta.providerMessageId, 0)));
      expect(first?.status).toBe('queued');
      await queue.remove(outboundJobId(OutboundJobKind.Reply, first!.id));
      await registry.deliver('sms', from, 'fr', outputs, meta);
    } finally {
      await queue.resume();
    }
    await eventually(() => sender.calls.length === 2, 10_000, 'both replies');
    await sleep(500);
    expect(sender.calls.map((c) => c.message)).toEqual(['fr:menu:prompt', 'fr:help:intro']);
    const keyed = (await rowsOf(contact.id)).filter((r) => [0, 1].some((i) => r.id === replyRowId('sms', meta.providerMessageId, i)));
    expect(keyed.map((r) => r.status)).toEqual(['sent', 'sent']);
    // handed over a third time after they were sent: nothing more goes out
    await registry.deliver('sms', from, 'fr', outputs, meta);
    await sleep(500);
    expect(sender.calls).toHaveLength(2);
  });
});
