import { CallbackJobName, callbackJobId } from '../../src/callbacks/callback-jobs';
import { createClient } from 'redis';
import { CALLBACK_REQUEST, CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { compareWithReference, Counts, numberFor, REF_CODE, runTag, sleep, waitFor } from './support/traffic';

jest.setTimeout(180_000);

/**
 * Volume, scaled for CI (2 cores, the whole set under 4 minutes): 120 conversations of 3 turns and
 * 24 callback requests of 11 turns (the 500 and 100 with SIRA_RESILIENCE_FULL=1).
 */
const FULL = process.env.SIRA_RESILIENCE_FULL === '1';
const CONVERSATIONS = FULL ? 500 : 120;
const CALLBACKS = FULL ? 100 : 24;

describe('Redis killed with SIGKILL and restarted mid-traffic (its own redis-server with AOF everysec)', () => {
  let stack: ResilienceStack;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('rediskill');
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('loses no accepted message, resumes every conversation, records each callback request once and keeps its job', async () => {
    const service = await stack.startInstance();
    const urls = [service.url];
    const received = (to: string) => stack.fake.bodiesTo(to);
    const run = runTag();
    const conversationRef = await referenceRun(numberFor(run, 0), CONVERSATION, { urls, counts: new Counts() }, received);
    const callbackRef = await referenceRun(numberFor(run, 1), CALLBACK_REQUEST, { urls, counts: new Counts() }, received);

    const chats = Array.from({ length: CONVERSATIONS }, (_, i) => numberFor(run, 100 + i));
    const callers = Array.from({ length: CALLBACKS }, (_, i) => numberFor(run, 10_000 + i));
    const counts = new Counts();
    const total = CONVERSATIONS * CONVERSATION.length + CALLBACKS * CALLBACK_REQUEST.length;
    let killed: Promise<void> | undefined;
    const onProgress = (c: Counts) => {
      if (killed || c.accepted < total / 3) return;
      killed = (async () => {
        await stack.redis.kill9();
        await sleep(1_500);
        await stack.redis.start();
      })();
    };
    await Promise.all([
      runConversations(chats, CONVERSATION, 12, { urls, counts }, onProgress),
      runConversations(callers, CALLBACK_REQUEST, 6, { urls, counts }, onProgress),
    ]);
    await killed;

    const expected = (n: string) => (chats.includes(n) ? conversationRef.length : callbackRef.length);
    await waitFor(() => [...chats, ...callers].every((n) => received(n).length >= expected(n)), 90_000);
    await settle(() => stack.fake.messages.length);
    const odd = [...compareWithReference(received, chats, conversationRef, counts, true), ...compareWithReference(received, callers, callbackRef, counts, true)];
    for (const n of odd) console.log(`[resilience] differs from the reference: ${received(n).length} SMS, expected ${expected(n)}:\n${received(n).join('\n---\n').slice(0, 600)}`);

    // Each caller has exactly one request, the one whose code she was told.
    const rows = await stack.query<{ ref_code: string; status: string; notified_at: Date | null; id: string }>(
      'select id, ref_code, status, notified_at from callback_requests',
    );
    const told = callers.map((n) => received(n).join('\n').match(REF_CODE)?.[0]).filter(Boolean);
    counts.extra['callback_rows'] = rows.length;
    counts.extra['callback_codes_told'] = told.length;
    const missingRows = told.filter((code) => !rows.some((r) => r.ref_code === code)).length;
    counts.lost += missingRows;
    // Every open request still has its timed job (escalation) in Redis, and staff were notified once.
    const redis = createClient({ url: stack.redis.url });
    await redis.connect();
    let withJob = 0;
    for (const row of rows) if (await redis.exists(`${stack.prefix}:callbacks:${callbackJobId(CallbackJobName.Escalate, row.id, 1)}`)) withJob++;
    await redis.close();
    counts.extra['callback_jobs'] = withJob;
    counts.extra['unknown_sends'] = Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where status = 'unknown'"))[0]!.n);
    counts.print('Redis kill -9 and restart');

    expect(counts.accepted).toBe(counts.tried);
    // No callback request whose code she was told is ever lost.
    expect(missingRows).toBe(0);
    // A turn cut by the kill is answered ≥ 500 and retried by the provider: its journal entry (saved with
    // the session) hands the same replies over again, keyed so none is sent twice. So no conversation
    // loses or doubles a reply; at worst one whose saved turn Redis itself lost (AOF everysec) is asked
    // the same question again or greeted at the menu ("resume, at worst at the menu"), counted apart.
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    // Known limit (issue 11 note): a reply whose job was caught by the kill can arrive after her next
    // turn's replies. Every reply still arrives once; such conversations are counted `reordered`.
    expect(odd).toHaveLength((counts.extra['reprompted'] ?? 0) + (counts.extra['resumed_at_menu'] ?? 0) + (counts.extra['reordered'] ?? 0));
    expect(rows).toHaveLength(CALLBACKS + 1); // + the reference run's
    expect(told).toHaveLength(CALLBACKS);
    expect(withJob).toBe(rows.length);
    expect(rows.every((r) => r.status === 'pending' && r.notified_at !== null)).toBe(true);
  });
});
