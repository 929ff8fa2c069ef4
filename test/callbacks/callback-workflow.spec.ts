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

/**
 * The staff moves the dashboard asks for: each one is the workflow's, one conditional transition with
 * its transition row, and none moves a request whose claim changed meanwhile.
 */
describe('callback workflow: release, reassign and call outcomes', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  let svc: CallbackApp;

  beforeAll(async () => {
    db = await openTestDatabase('postgres', 'cbstaffmoves');
    redis = await openTestRedis('cbstaffmoves');
    const [row] = await db.handle.rows<{ name: string }>(sql`select current_database() as name`);
    const config = callbackTestConfig({ redisUrl: TEST_REDIS_URL, prefix: redis.prefix, databaseUrl: `${SERVER_URL}/${row.name}` });
    svc = await startCallbackApp(config, {}, new ManualClock(THURSDAY_0930));
  });

  afterAll(async () => {
    await svc.close();
    await redis.close();
    await db.dispose();
  });

  const history = async (id: string) => (await svc.requests.transitions(id)).map((t) => `${t.fromStatus ?? '∅'}>${t.toStatus}:${t.actor}`);

  it('a released request is back in the queue on the same attempt, with its transition row and its jobs', async () => {
    const req = await createPending(svc);
    const claimed = await svc.workflow.claim(req.id, 'agent1');
    const released = await svc.workflow.release(claimed!, 'agent1');
    expect(released).toMatchObject({ status: 'pending', attempt: 1, claimedBy: null, claimedAt: null, claims: 1, closedAt: null });
    expect(await history(req.id)).toEqual(['∅>pending:contact', 'pending>claimed:staff:agent1', 'claimed>pending:staff:agent1']);
    expect(await svc.scheduler.queue.getJob(`${CallbackJobName.Escalate}-${req.id}-1`)).toBeDefined();
    // the same release again finds it no longer held: nothing moves
    expect(await svc.workflow.release(claimed!, 'agent1')).toBeUndefined();
    expect(await history(req.id)).toHaveLength(3);
  });

  it('a release of a claim that expired and was taken again leaves the new holder alone', async () => {
    const req = await createPending(svc);
    const first = await svc.workflow.claim(req.id, 'agent1');
    await svc.workflow.expireClaim(req.id, first!.claims);
    await svc.workflow.claim(req.id, 'agent2');
    expect(await svc.workflow.release(first!, 'agent1')).toBeUndefined();
    expect(await svc.requests.findById(req.id)).toMatchObject({ status: 'claimed', claimedBy: 'agent2', claims: 2 });
  });

  it('a wrong number closes the request as unreachable with its transition row', async () => {
    const req = await createPending(svc);
    const claimed = await svc.workflow.claim(req.id, 'agent1');
    const closed = await svc.workflow.wrongNumber(claimed!, 'agent1');
    expect(closed).toMatchObject({ status: 'unreachable', claimedBy: null, claimedAt: null, closedAt: new Date(svc.clock.now()) });
    expect(await history(req.id)).toEqual(['∅>pending:contact', 'pending>claimed:staff:agent1', 'claimed>unreachable:staff:agent1']);
    expect(await svc.workflow.wrongNumber(claimed!, 'agent1')).toBeUndefined();
  });

  it('a rescheduled call is waiting again from now, with only the new safe time and its transition row', async () => {
    const req = await createPending(svc);
    const claimed = await svc.workflow.claim(req.id, 'agent1');
    svc.clock.advance(5 * 60_000);
    const evening = windowFor('evening', 'weekend');
    const moved = await svc.workflow.reschedule(claimed!, 'agent1', evening);
    expect(moved).toMatchObject({ status: 'pending', attempt: 1, windows: [evening], dueAt: new Date(svc.clock.now()), claimedBy: null, closedAt: null });
    expect(await history(req.id)).toEqual(['∅>pending:contact', 'pending>claimed:staff:agent1', 'claimed>pending:staff:agent1']);
  });

  it('each call outcome makes its own move, and none on a claim that moved on', async () => {
    const cases = [
      ['reached', 'completed'],
      ['no_answer', 'no_answer'],
      ['asked_to_stop', 'cancelled'],
      ['wrong_number', 'unreachable'],
      ['rescheduled', 'pending'],
    ] as const;
    for (const [outcome, status] of cases) {
      const req = await createPending(svc);
      const claimed = await svc.workflow.claim(req.id, 'agent1');
      const after = await svc.workflow.recordOutcome(claimed!, 'agent1', outcome, windowFor('afternoon', 'any'));
      expect({ outcome, status: after?.status }).toEqual({ outcome, status });
      expect((await history(req.id)).at(-1)).toBe(`claimed>${status}:staff:agent1`);
    }
    const req = await createPending(svc);
    const stale = await svc.workflow.claim(req.id, 'agent1');
    await svc.workflow.release(stale!, 'agent1');
    expect(await svc.workflow.recordOutcome(stale!, 'agent1', 'wrong_number')).toBeUndefined();
    expect(await svc.requests.findById(req.id)).toMatchObject({ status: 'pending' });
  });

  it('a reassignment releases a held request as the supervisor, then claims it for the new holder', async () => {
    const req = await createPending(svc);
    const held = await svc.workflow.claim(req.id, 'agent1');
    const result = await svc.workflow.reassign(held!, 'agent2', 'sup1');
    expect(result).toMatchObject({ kind: 'reassigned', request: { status: 'claimed', claimedBy: 'agent2', claims: 2 } });
    expect(await history(req.id)).toEqual([
      '∅>pending:contact',
      'pending>claimed:staff:agent1',
      'claimed>pending:staff:sup1',
      'pending>claimed:staff:agent2',
    ]);
    expect(await svc.scheduler.queue.getJob(`${CallbackJobName.ExpireClaim}-${req.id}-2`)).toBeDefined();
  });

  it('a waiting request is reassigned by one claim; a stale hold or a request not waiting is refused unchanged', async () => {
    const waiting = await createPending(svc);
    expect(await svc.workflow.reassign(waiting, 'agent2', 'sup1')).toMatchObject({ kind: 'reassigned', request: { claimedBy: 'agent2', claims: 1 } });
    expect(await history(waiting.id)).toEqual(['∅>pending:contact', 'pending>claimed:staff:agent2']);

    const stale = (await svc.workflow.claim((await createPending(svc)).id, 'agent1'))!;
    await svc.workflow.release(stale, 'agent1');
    await svc.workflow.claim(stale.id, 'agent3');
    expect(await svc.workflow.reassign(stale, 'agent2', 'sup1')).toEqual({ kind: 'moved_on' });
    expect(await svc.requests.findById(stale.id)).toMatchObject({ status: 'claimed', claimedBy: 'agent3' });

    const retrying = await createPending(svc);
    await svc.workflow.claim(retrying.id, 'agent1');
    const noAnswer = await svc.workflow.recordNoAnswer(retrying.id, 'agent1');
    expect(await svc.workflow.reassign(noAnswer!, 'agent2', 'sup1')).toEqual({ kind: 'not_waiting' });
    expect(await svc.requests.findById(retrying.id)).toMatchObject({ status: 'no_answer', claimedBy: null });
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
