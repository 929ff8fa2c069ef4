import { sql } from 'drizzle-orm';
import { windowFor } from '../../src/callbacks/call-windows';
import { CallbackJobName } from '../../src/callbacks/callback-jobs';
import { CallbackProcessor } from '../../src/callbacks/callback.processor';
import type { CallbackRequest } from '../../src/callbacks/callback.types';
import { ManualClock } from '../../src/common/clock';
import { openTestRedis, TEST_REDIS_URL, type TestRedis } from '../conversations/redis-test.helper';
import { openTestDatabase, SERVER_URL, type TestDatabase } from '../db/test-databases';
import { callbackTestConfig, malianNumber, startCallbackApp, type CallbackApp } from './callback-harness';

jest.setTimeout(60_000);

/** Thursday 15 January 2026, 09:30 in Bamako. */
const THURSDAY_0930 = Date.UTC(2026, 0, 15, 9, 30);

/**
 * Staff and timer moves with an injected clock: the jobs are run by calling their handler, so time
 * is the clock's, not the machine's.
 */
describe('callback workflow: claims, no answer, retries at her next window', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let svc: CallbackApp;
  let processor: CallbackProcessor;

  beforeAll(async () => {
    db = await openTestDatabase('postgres', 'cbflow');
    redis = await openTestRedis('cbflow');
    const [row] = await db.handle.rows<{ name: string }>(sql`select current_database() as name`);
    const config = callbackTestConfig({ redisUrl: TEST_REDIS_URL, prefix: redis.prefix, databaseUrl: `${SERVER_URL}/${row.name}` });
    svc = await startCallbackApp(config, {}, new ManualClock(THURSDAY_0930));
    processor = svc.app.get(CallbackProcessor);
  });

  afterAll(async () => {
    await svc.close();
    await redis.close();
    await db.dispose();
  });

  it('after "no answer" the retry is due at her next window, then the request is pending again', async () => {
    const req = await createPending(svc);
    await svc.workflow.claim(req.id, 'agent1');
    const afterNoAnswer = await svc.workflow.recordNoAnswer(req.id, 'agent1');
    expect(afterNoAnswer?.status).toBe('no_answer');
    const retry = await svc.scheduler.queue.getJob(`${CallbackJobName.Retry}-${req.id}-1`);
    // weekday mornings: Thursday 09:30 → Friday 08:00
    expect(retry!.delay).toBe(Date.UTC(2026, 0, 16, 8) - THURSDAY_0930);

    svc.clock.advance(Date.UTC(2026, 0, 16, 8) - svc.clock.now());
    expect(await processor.process({ name: CallbackJobName.Retry, data: retry!.data })).toBe('done');
    const again = await svc.requests.findById(req.id);
    expect(again).toMatchObject({ status: 'pending', attempt: 2, notifiedAt: null, escalatedAt: null, dueAt: new Date(Date.UTC(2026, 0, 16, 8)) });
    expect(await svc.scheduler.queue.getJob(`${CallbackJobName.Escalate}-${req.id}-2`)).toBeDefined();
    // the same retry job run twice does nothing more
    expect(await processor.process({ name: CallbackJobName.Retry, data: retry!.data })).toBe('skipped');
    const history = (await svc.requests.transitions(req.id)).map((t) => `${t.fromStatus ?? '∅'}>${t.toStatus}:${t.actor}`);
    expect(history).toEqual(['∅>pending:contact', 'pending>claimed:staff:agent1', 'claimed>no_answer:staff:agent1', 'no_answer>pending:system']);
  });

  it('closes as unreachable after the last allowed attempt', async () => {
    const req = await createPending(svc);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await svc.workflow.claim(req.id, 'agent1');
      const after = await svc.workflow.recordNoAnswer(req.id, 'agent1');
      if (attempt < 3) {
        expect(after?.status).toBe('no_answer');
        await processor.process({ name: CallbackJobName.Retry, data: { requestId: req.id, attempt } });
      } else {
        expect(after).toMatchObject({ status: 'unreachable' });
        expect(after!.closedAt).not.toBeNull();
      }
    }
  });

  it('returns a claim nobody resolved to the queue, and only that claim', async () => {
    const req = await createPending(svc);
    const claimed = await svc.workflow.claim(req.id, 'agent1');
    expect(await svc.scheduler.queue.getJob(`${CallbackJobName.ExpireClaim}-${req.id}-1`)).toBeDefined();
    expect(await svc.workflow.claim(req.id, 'agent2')).toBeUndefined(); // taken already
    expect(await processor.process({ name: CallbackJobName.ExpireClaim, data: { requestId: req.id, attempt: claimed!.claims } })).toBe('done');
    expect(await svc.requests.findById(req.id)).toMatchObject({ status: 'pending', claimedBy: null });
    // a second claim is not expired by the first claim's job
    await svc.workflow.claim(req.id, 'agent2');
    expect(await processor.process({ name: CallbackJobName.ExpireClaim, data: { requestId: req.id, attempt: 1 } })).toBe('skipped');
    expect(await svc.requests.findById(req.id)).toMatchObject({ status: 'claimed', claimedBy: 'agent2', claims: 2 });
  });

  it('escalates a waiting request once, and not one that was taken', async () => {
    const waiting = await createPending(svc, true);
    const taken = await createPending(svc, true);
    await svc.workflow.claim(taken.id, 'agent1');
    const before = svc.notifier.sent.filter((n) => n.notice === 'escalated').length;
    expect(await processor.process({ name: CallbackJobName.Escalate, data: { requestId: waiting.id, attempt: 1 } })).toBe('done');
    expect(await processor.process({ name: CallbackJobName.Escalate, data: { requestId: waiting.id, attempt: 1 } })).toBe('skipped');
    expect(await processor.process({ name: CallbackJobName.Escalate, data: { requestId: taken.id, attempt: 1 } })).toBe('skipped');
    expect(svc.notifier.sent.filter((n) => n.notice === 'escalated').slice(before)).toEqual([{ notice: 'escalated', urgent: true }]);
  });
});

async function createPending(svc: CallbackApp, urgent = false): Promise<CallbackRequest> {
  const number = malianNumber();
  const contact = await svc.contacts.findOrCreate('sms', number, 'twilio');
  const result = await svc.requests.create(
    { contactId: contact.id, channel: 'sms', topic: 'legal', urgent, callLanguage: 'fr', windows: [windowFor('morning', 'weekdays')], voicemailSafe: true, smsSafe: false, number, consentVersion: 'callback-2026-01' },
    new Date(svc.clock.now()),
  );
  if (result.kind !== 'created') throw new Error('expected a new request');
  await svc.scheduler.ensure(result.request);
  return result.request;
}
