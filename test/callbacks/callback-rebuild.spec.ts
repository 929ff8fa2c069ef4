import { sql } from 'drizzle-orm';
import { windowFor } from '../../src/callbacks/call-windows';
import { CallbackJobName } from '../../src/callbacks/callback-jobs';
import type { CallbackRequest } from '../../src/callbacks/callback.types';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../db/test-databases';
import { callbackTestConfig, malianNumber, startCallbackApp, type CallbackApp } from './callback-harness';
import { startOwnRedis, type OwnRedis } from './own-redis';

jest.setTimeout(120_000);

const REQUESTS = 50;

/**
 * Redis loses everything (FLUSHALL, then a restart of an empty server) while the service runs:
 * every job a pending request should have comes back, from PostgreSQL, without a restart, and
 * none twice. Uses a redis-server of its own: the machine's Redis is never flushed or stopped.
 */
describe('rebuilding callback jobs when Redis comes back empty', () => {
  let redis: OwnRedis;
  let db: TestDatabase;
  let svc: CallbackApp;
  let requests: CallbackRequest[];
  let config: ReturnType<typeof callbackTestConfig>;

  beforeAll(async () => {
    redis = await startOwnRedis();
    db = await openTestDatabase('postgres', 'cbrebuild');
    const [row] = await db.handle.rows<{ name: string }>(sql`select current_database() as name`);
    config = callbackTestConfig({ redisUrl: redis.url, prefix: 'sira_test_rebuild', databaseUrl: `${SERVER_URL}/${row.name}` });
    svc = await startCallbackApp(config, { watchIntervalMs: 200 });
    requests = [];
    for (let i = 0; i < REQUESTS; i++) requests.push(await createPending(svc, i % 5 === 0));
    await until(async () => svc.notifier.sent.length === REQUESTS, 'staff notified of every request');
  });

  afterAll(async () => {
    await svc?.close();
    await db?.dispose();
    await redis?.dispose();
  });

  it('holds one escalation per pending request before anything is lost', async () => {
    expect(await escalationIds(svc)).toEqual(expectedIds(requests));
  });

  it('re-creates every job after FLUSHALL, while running, none twice', async () => {
    await redis.flushAll();
    await until(async () => (await escalationIds(svc)).length === REQUESTS, 'escalations rebuilt');
    expect(await escalationIds(svc)).toEqual(expectedIds(requests));
    expect(await svc.scheduler.queue.getJobSchedulers()).toEqual([expect.objectContaining({ key: 'callback-sweep', tz: 'Africa/Bamako' })]);
    // staff were told once per request: the rebuild does not repeat work already done
    expect(svc.notifier.sent).toHaveLength(REQUESTS);
    expect(await svc.scheduler.rebuild()).toEqual({ requests: REQUESTS, added: 0 });
    expect(await escalationIds(svc)).toEqual(expectedIds(requests));
  });

  it('re-creates them after Redis is stopped and started empty (reconnect), none twice', async () => {
    // a service whose marker watch never runs in this test: only the reconnect can trigger the rebuild
    await svc.close();
    svc = await startCallbackApp(config, { watchIntervalMs: 3_600_000 });
    const notifiedBefore = svc.notifier.sent.length;
    await redis.stop();
    await new Promise((r) => setTimeout(r, 500));
    await redis.start();
    await until(async () => (await escalationIds(svc).catch(() => [])).length === REQUESTS, 'escalations rebuilt after restart');
    await new Promise((r) => setTimeout(r, 600)); // every connection's reconnect has fired by now
    expect(await escalationIds(svc)).toEqual(expectedIds(requests));
    expect(svc.notifier.sent).toHaveLength(notifiedBefore);
  });

  it('re-creates a retry for a request waiting for her next window', async () => {
    await svc.close();
    svc = await startCallbackApp(config, { watchIntervalMs: 200 });
    const claimed = await svc.workflow.claim(requests[1].id, 'agent1');
    expect(claimed?.status).toBe('claimed');
    await svc.workflow.recordNoAnswer(requests[1].id, 'agent1');
    const retryId = `${CallbackJobName.Retry}-${requests[1].id}-1`;
    expect(await svc.scheduler.queue.getJob(retryId)).toBeDefined();
    await redis.flushAll();
    await until(async () => !!(await svc.scheduler.queue.getJob(retryId)), 'retry rebuilt');
    // the rebuild adds jobs one by one: wait for it to finish, then check none is there twice
    await until(async () => (await escalationIds(svc)).length === REQUESTS - 1, 'escalations rebuilt');
    await new Promise((r) => setTimeout(r, 600));
    expect((await escalationIds(svc)).length).toBe(REQUESTS - 1);
  });
});

async function createPending(svc: CallbackApp, urgent: boolean): Promise<CallbackRequest> {
  const number = malianNumber();
  const contact = await svc.contacts.findOrCreate('sms', number, 'twilio');
  await svc.contacts.giveConsent(contact.id, 'callback-2026-01', number);
  const result = await svc.requests.create(
    { contactId: contact.id, channel: 'sms', topic: 'other', urgent, callLanguage: 'fr', windows: [windowFor('morning', 'any')], voicemailSafe: false, smsSafe: false, number, consentVersion: 'callback-2026-01' },
    new Date(svc.clock.now()),
  );
  if (result.kind !== 'created') throw new Error('expected a new request');
  await svc.scheduler.ensure(result.request);
  return result.request;
}

async function escalationIds(svc: CallbackApp): Promise<string[]> {
  const jobs = await svc.scheduler.queue.getJobs(['delayed', 'waiting', 'active']);
  return jobs.filter((j) => j?.name === CallbackJobName.Escalate).map((j) => j.id!).sort();
}

function expectedIds(requests: CallbackRequest[]): string[] {
  return requests.map((r) => `escalate-${r.id}-1`).sort();
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
