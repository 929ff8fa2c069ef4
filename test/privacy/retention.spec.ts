import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { bullConnection } from '../../src/common/bullmq-connection';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { callbackRequests } from '../../src/callbacks/callbacks.schema';
import { CLOCK, ManualClock } from '../../src/common/clock';
import { ClockModule } from '../../src/common/clock.module';
import { ConfigModule } from '../../src/config/config.module';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { BlindIndex } from '../../src/crypto/blind-index';
import { CryptoModule } from '../../src/crypto/crypto.module';
import { DATABASE, DatabaseModule } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { LoggingModule } from '../../src/logging/logger.module';
import { OutboundQueueName } from '../../src/outbound/outbound.types';
import { AnonymousCountsRepository, AnonymousMetric } from '../../src/privacy/anonymous-counts.repository';
import { PRIVACY_TIME_ZONE, PrivacyJobName, RETENTION_SCHEDULER_ID } from '../../src/privacy/privacy-jobs';
import { PrivacyModule } from '../../src/privacy/privacy.module';
import { PrivacyQueue } from '../../src/privacy/privacy.queue';
import { REDIS, RedisModule, type RedisClient } from '../../src/redis/redis.module';
import { RedisKeys } from '../../src/redis/redis-keys';
import { callbackOutcomes, staffAuditLog, staffUsers } from '../../src/db/schema';
import { testConfig } from '../conversations/conversation-harness';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, testPrefix } from '../sms/sms-test.helpers';
import { redisContents } from './privacy-flows';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
/** day 0 is now: BullMQ stamps finished jobs with the real time, the clock moves on from there. */
const T0 = Date.now();

describe('retention, on an injected clock', () => {
  const prefix = testPrefix('retain');
  const clock = new ManualClock(T0);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: INestApplication;
  let database: Database;
  let redis: RedisClient;
  let closedId: string;
  let openId: string;
  let outcomeId: string;
  const number = malianNumber();

  beforeAll(async () => {
    db = await createTestDatabase('retain');
    const config = testConfig(prefix, db.url);
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), LoggingModule, ClockModule, DatabaseModule, CryptoModule, RedisModule, PrivacyModule],
    })
      .overrideProvider(CLOCK)
      .useValue(clock)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    database = app.get<Database>(DATABASE);
    redis = app.get<RedisClient>(REDIS);
    await seed();
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** On day 0: a request closed that day, one still open, a call note, an audit line, a session, a kept job. */
  async function seed(): Promise<void> {
    const contactsRepo = new ContactsRepository(database, app.get(BlindIndex), app.get(AddressCipher));
    const requests = new CallbackRequestsRepository(database, app.get(AddressCipher), app.get(BlindIndex));
    const input = (contactId: string) => ({ contactId, channel: 'sms' as const, topic: 'other' as const, urgent: false, callLanguage: 'fr', windows: [{ days: [1], fromMinute: 480, toMinute: 720 }], voicemailSafe: false, smsSafe: false, number, consentVersion: 'v1' });
    const a = await contactsRepo.findOrCreate('sms', number, 'twilio');
    const b = await contactsRepo.findOrCreate('sms', malianNumber(), 'twilio');
    closedId = (await requests.create(input(a.id), new Date(T0))).request.id;
    openId = (await requests.create(input(b.id), new Date(T0))).request.id;
    await database.update(callbackRequests).set({ status: 'completed', closedAt: new Date(T0) }).where(eq(callbackRequests.id, closedId));
    const [staff] = await database.insert(staffUsers).values({ email: 's@example.org', displayName: 'S', passwordHash: 'x', role: 'agent', createdAt: new Date(T0), updatedAt: new Date(T0) }).returning();
    outcomeId = randomUUID();
    const note = app.get(AddressCipher).encrypt('she asked for mornings', `callback_outcomes:${outcomeId}`);
    await database.insert(callbackOutcomes).values({ id: outcomeId, requestId: openId, staffId: staff!.id, outcome: 'no_answer', attempt: 1, noteEnc: note.token, noteKeyId: note.kid, at: new Date(T0) });
    await database.insert(staffAuditLog).values({ at: new Date(T0), staffId: staff!.id, action: 'reveal_number', requestId: openId, detail: {} });
    const keys = app.get(RedisKeys);
    await redis.set(keys.session(app.get(BlindIndex).of('sms', number)), JSON.stringify({ v: 1, lastActiveAt: T0 }));
    await keepOneFinishedJob();
  }

  /** A job that finished and was kept (as a misconfigured queue would keep it). */
  async function keepOneFinishedJob(): Promise<void> {
    const conn = bullConnection(testConfig(prefix, db.url).redis.url);
    const wconn = bullConnection(testConfig(prefix, db.url).redis.url);
    const queue = new Queue(OutboundQueueName.Sms, { connection: conn.connection, prefix });
    const worker = new Worker(OutboundQueueName.Sms, async () => 'sent', { connection: wconn.connection, prefix });
    await queue.add('reply', { rowId: 'x' }, { removeOnComplete: false });
    await eventually(async () => (await queue.getJobCounts('completed')).completed === 1, 10_000, 'a kept job');
    await worker.close();
    await queue.close();
    await conn.close();
    await wconn.close();
  }

  it('schedules a daily run in Africa/Bamako time', async () => {
    const scheduler = await app.get(PrivacyQueue).queue.getJobScheduler(RETENTION_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ tz: PRIVACY_TIME_ZONE, pattern: '0 15 3 * * *' });
  });

  /** Runs retention through the queue (as the scheduler would) and waits for it. */
  async function runRetention(): Promise<void> {
    const queue = app.get(PrivacyQueue).queue;
    const job = await queue.add(PrivacyJobName.Retention, {}, { removeOnComplete: true, removeOnFail: true });
    await eventually(async () => !(await queue.getJob(job.id!)), 10_000, 'the retention job');
  }

  const requestIds = async () => (await database.select({ id: callbackRequests.id }).from(callbackRequests)).map((r) => r.id);
  const note = async () => (await database.select().from(callbackOutcomes).where(eq(callbackOutcomes.id, outcomeId)))[0]?.noteEnc ?? null;
  const auditCount = async () => (await database.select().from(staffAuditLog)).length;

  it('keeps everything inside its period, and removes conversation state and kept jobs after 24 h', async () => {
    clock.advance(DAY - 60_000);
    await runRetention();
    expect(await redisContents(prefix)).toContain(':session:');
    expect(await requestIds()).toHaveLength(2);

    clock.advance(2 * 60_000); // 24 h and a minute
    await runRetention();
    const redisText = await redisContents(prefix);
    expect(redisText).not.toContain(':session:');
    expect(redisText).not.toContain(':outbound-sms:1'); // the kept job's hash
    expect(await redis.xLen(`${prefix}:${OutboundQueueName.Sms}:events`)).toBe(0); // nor its trace in the event stream
    expect(await requestIds()).toHaveLength(2);
    expect(await note()).not.toBeNull();
  });

  it('after 90 days the closed request (with its history) and the staff note are gone, counted anonymously; the open request stays', async () => {
    clock.advance(88 * DAY); // day 89
    await runRetention();
    expect(await requestIds()).toHaveLength(2);
    clock.advance(2 * DAY);
    await runRetention();
    expect(await requestIds()).toEqual([openId]);
    expect(await note()).toBeNull();
    expect(await app.get(AnonymousCountsRepository).total(AnonymousMetric.CallbackRequestsExpired, 'sms')).toBe(1);
    expect(await auditCount()).toBe(1);
  });

  it('after a year the audit log entries go too', async () => {
    clock.advance(300 * DAY);
    await runRetention();
    expect(await auditCount()).toBe(0);
    expect(await requestIds()).toEqual([openId]);
  });
});
