import { ContactFacts } from '../../src/conversations/contact-facts.service';
import { Inject, Module, OnModuleInit } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../src/config/config';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { OutboundRegistry } from '../../src/conversations/outbound.registry';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { OutboundModule } from '../../src/outbound/outbound.module';
import { OutboundMessagesRepository } from '../../src/outbound/outbound-messages.repository';
import { outboundMessages } from '../../src/outbound/outbound-messages.schema';
import { OutboundService } from '../../src/outbound/outbound.service';
import { OutboundJobKind, OutboundQueueName, type OutboundChannel, type SendRequest, type Sender } from '../../src/outbound/outbound.types';
import { startOwnPostgres, type OwnPostgres } from './own-postgres';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, sleep, testPrefix } from './sms-test.helpers';
import { startApp } from '../support/app-harness';

/**
 * One sender shared by every "instance" of the outbound queue in this file: it records the messages in
 * the order the provider was called, and holds a message the test has gated until the test lets it go.
 */
class GatedSender implements Sender<string> {
  readonly calls: string[] = [];
  private readonly waiting = new Map<string, Promise<void>>();

  gate(message: string): () => void {
    let open!: () => void;
    this.waiting.set(message, new Promise<void>((resolve) => (open = resolve)));
    return () => open();
  }

  async send(request: SendRequest<string>) {
    this.calls.push(request.message);
    await this.waiting.get(request.message);
    return { providerId: `P${this.calls.length}` };
  }
}

const sender = new GatedSender();

function channel(): OutboundChannel<string> {
  return {
    channel: 'sms',
    queue: OutboundQueueName.Sms,
    render: (outputs) => outputs.map((o) => ({ message: o.text, segments: 1, encoding: 'GSM-7' })),
    sender,
    limiter: { max: 50, durationMs: 1000 },
    // three attempts within a few hundred milliseconds: far shorter than the outages below
    retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 200 },
  };
}

@Module({ imports: [OutboundModule] })
class FakeChannelModule implements OnModuleInit {
  constructor(@Inject(OutboundService) private readonly outbound: OutboundService) {}
  async onModuleInit() {
    await this.outbound.registerChannel(channel());
  }
}

jest.setTimeout(60_000);

describe('outbound queue through a PostgreSQL outage and across instances (own PostgreSQL, real Redis)', () => {
  const prefix = testPrefix('outage');
  let pg: OwnPostgres;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let config: Config;
  let app: NestExpressApplication;
  let outbound: OutboundService;
  let contacts: ContactsRepository;
  let database: Database;
  const others: OutboundService[] = [];

  beforeAll(async () => {
    pg = await startOwnPostgres();
    db = await createTestDatabase('outage', pg.url);
    ({ app, config } = await startApp({ prefix, databaseUrl: db.url, modules: [FakeChannelModule], http: 'init' }));
    outbound = app.get(OutboundService);
    contacts = app.get(ContactsRepository);
    database = app.get<Database>(DATABASE);
  });

  afterAll(async () => {
    for (const other of others) await other.onApplicationShutdown();
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop().catch(() => undefined);
    pg?.dispose();
  });

  /** A second service instance's outbound queue: same Redis queue, same database, its own worker. */
  async function anotherInstance(): Promise<OutboundService> {
    const other = new OutboundService(config, app.get(OutboundMessagesRepository), contacts, app.get(AddressCipher), new OutboundRegistry(), app.get(ContactFacts));
    await other.registerChannel(channel());
    others.push(other);
    return other;
  }

  async function contact(): Promise<{ id: string; address: string }> {
    const address = malianNumber();
    const { id } = await contacts.findOrCreate('sms', address, 'test');
    return { id, address };
  }

  const reply = (to: { id: string; address: string }, ...texts: string[]) =>
    outbound.enqueue('sms', { address: to.address, contactId: to.id, language: 'fr', outputs: texts.map((text) => ({ text })), kind: OutboundJobKind.Reply });

  const statuses = async (ids: string[]) => {
    const rows = await database.select().from(outboundMessages);
    return ids.map((id) => rows.find((r) => r.id === id)).map((r) => [r?.status, r?.attempts]);
  };

  it('keeps replies through a database outage longer than their attempts, then sends each once, in her order', async () => {
    const [amina, fatou] = [await contact(), await contact()];
    const queue = outbound.queueOf('sms')!;
    await queue.pause();
    const ids = [...(await reply(amina, 'amina:1', 'amina:2')), ...(await reply(fatou, 'fatou:1'))];
    pg.stop();
    try {
      await queue.resume();
      await sleep(3_000); // ten times what their three attempts' backoff adds up to
      // every job is still there, has been tried more often than its attempts allow, and used none of them
      const jobs = (await queue.getJobs(['delayed', 'wait', 'prioritized', 'active'])).filter((j) => ids.includes(j.data.rowId));
      expect(jobs.map((j) => j.data.rowId).sort()).toEqual([...ids].sort());
      expect(jobs.filter((j) => j.attemptsStarted <= 3 || j.attemptsMade > 0)).toEqual([]);
      expect(sender.calls.filter((m) => /^(amina|fatou):/.test(m))).toEqual([]);
    } finally {
      pg.start();
    }
    await eventually(() => ['amina:1', 'amina:2', 'fatou:1'].every((m) => sender.calls.includes(m)), 30_000, 'sends after the outage');
    await sleep(500);
    const sent = sender.calls.filter((m) => /^(amina|fatou):/.test(m));
    expect(sent.filter((m) => m.startsWith('amina:'))).toEqual(['amina:1', 'amina:2']);
    expect(sent.filter((m) => m.startsWith('fatou:'))).toEqual(['fatou:1']);
    expect(await statuses(ids)).toEqual(ids.map(() => ['sent', 1]));
  });

  it('holds her later reply while an older one is being sent by another instance, and sends other contacts meanwhile', async () => {
    const [mariam, awa] = [await contact(), await contact()];
    const release = sender.gate('mariam:1');
    let awaIds: string[];
    const ids = await reply(mariam, 'mariam:1', 'mariam:2');
    try {
      // this instance's only worker is now inside the provider call for her first reply
      await eventually(() => sender.calls.includes('mariam:1'), 10_000, 'first reply being sent');
      await anotherInstance();
      awaIds = await reply(awa, 'awa:1');
      await eventually(() => sender.calls.includes('awa:1'), 10_000, 'the other contact served by the second instance');
      // her second reply was there before awa's and is still not sent: it waits for the first
      expect(sender.calls.includes('mariam:2')).toBe(false);
      expect((await statuses(ids)).map(([status]) => status)).toEqual(['sending', 'queued']);
    } finally {
      release();
    }
    await eventually(() => sender.calls.includes('mariam:2'), 10_000, 'her second reply');
    await sleep(300);
    expect(sender.calls.filter((m) => /^(mariam|awa):/.test(m))).toEqual(['mariam:1', 'awa:1', 'mariam:2']);
    expect(await statuses([...ids, ...awaIds])).toEqual([['sent', 1], ['sent', 1], ['sent', 1]]);
  });

  it('never lets two of her replies wait for each other, even created at the same instant', async () => {
    const nana = await contact();
    const queue = outbound.queueOf('sms')!;
    await queue.pause();
    const ids = await reply(nana, 'nana:1', 'nana:2', 'nana:3');
    await database
      .update(outboundMessages)
      .set({ createdAt: sql`(select min(created_at) from outbound_messages where contact_id = ${nana.id})` })
      .where(eq(outboundMessages.contactId, nana.id));
    await queue.resume();
    await eventually(() => ['nana:1', 'nana:2', 'nana:3'].every((m) => sender.calls.includes(m)), 15_000, 'all three sent');
    expect(sender.calls.filter((m) => m.startsWith('nana:')).sort()).toEqual(['nana:1', 'nana:2', 'nana:3']);
    expect(await statuses(ids)).toEqual(ids.map(() => ['sent', 1]));
  });
  it('sends once a reply whose claim committed but whose answer was lost as the database went away', async () => {
    const kadi = await contact();
    const repository = app.get(OutboundMessagesRepository);
    const realClaim = repository.claim.bind(repository);
    let lost = 0;
    const spy = jest.spyOn(repository, 'claim').mockImplementation(async (id, withinMs) => {
      const verdict = await realClaim(id, withinMs);
      if (lost++ === 0) throw new Error('Connection terminated unexpectedly'); // committed, answer lost
      return verdict;
    });
    try {
      const ids = await reply(kadi, 'kadi:1');
      await eventually(() => sender.calls.includes('kadi:1'), 15_000, 'her reply');
      await sleep(300);
      expect(sender.calls.filter((m) => m === 'kadi:1')).toHaveLength(1);
      expect((await statuses(ids)).map(([status]) => status)).toEqual(['sent']);
    } finally {
      spy.mockRestore();
    }
  });

  it('never sends twice a reply that left but could not be recorded sent, even if its next claim loses its answer', async () => {
    const lami = await contact();
    const repository = app.get(OutboundMessagesRepository);
    const realClaim = repository.claim.bind(repository);
    let claims = 0;
    // the provider took it, then the database went away: 'sent' is not recorded and the job is put back;
    // when it comes back, its claim statement fails without an answer too (the row was still `sending`)
    const markSent = jest.spyOn(repository, 'markSent').mockRejectedValueOnce(new Error('Connection terminated unexpectedly'));
    const claim = jest.spyOn(repository, 'claim').mockImplementation(async (id, withinMs) => {
      if (++claims === 2) throw new Error('Connection terminated unexpectedly');
      return realClaim(id, withinMs);
    });
    try {
      const ids = await reply(lami, 'lami:1');
      await eventually(async () => (await statuses(ids))[0]![0] === 'unknown', 15_000, 'her reply recorded unknown');
      await sleep(500);
      expect(sender.calls.filter((m) => m === 'lami:1')).toHaveLength(1);
      expect(claims).toBeGreaterThanOrEqual(3);
    } finally {
      markSent.mockRestore();
      claim.mockRestore();
    }
  });
});
