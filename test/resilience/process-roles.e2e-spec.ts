import { randomBytes } from 'node:crypto';
import { CALLBACK_REQUEST, CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { compareWithReference, Counts, inPool, numberFor, postSms, REF_CODE, runTag, waitFor } from './support/traffic';

jest.setTimeout(180_000);

const PHASE = 30;
const CALLBACKS = 4;

/**
 * Issue 20 §5: one image, separate parts. Two `web` processes take every webhook (and only enqueue), two
 * `worker` processes run the queues, on one PostgreSQL and one Redis (all the drill's own). Then one
 * worker is killed (SIGKILL) and the other carries on alone.
 */
describe('two web and two worker processes (SIRA_ROLE) on one PostgreSQL and one Redis', () => {
  let stack: ResilienceStack;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('roles');
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('keeps each contact in order, handles a redelivery once, runs every job once, and the other worker takes a killed one\'s jobs', async () => {
    // a dead worker's job comes back after its lock runs out: 5 s (the minimum) keeps the drill short
    const env = { TWILIO_TIMEOUT_MS: '5000', WORKER_LOCK_MS: '5000' };
    const [webA, webB] = await Promise.all([stack.startInstance({ ...env, SIRA_ROLE: 'web' }), stack.startInstance({ ...env, SIRA_ROLE: 'web' })]);
    const run = runTag();
    const received = (to: string) => stack.fake.bodiesTo(to);
    // web processes only enqueue: her message is accepted, and answered once a worker runs
    const early = numberFor(run, 99);
    expect(await postSms(early, 'Bonjour', { urls: [webA!.url], counts: new Counts() })).toBe(200);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(received(early)).toEqual([]);
    const [workerA, workerB] = await Promise.all([stack.startInstance({ ...env, SIRA_ROLE: 'worker' }), stack.startInstance({ ...env, SIRA_ROLE: 'worker' })]);
    expect(await waitFor(() => received(early).length > 0, 30_000)).toBe(true);
    // a worker answers its health checks and nothing else: webhooks belong to the web part
    expect((await fetch(`${workerA!.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${workerA!.url}/webhooks/twilio/sms`, { method: 'POST' })).status).toBe(404);

    const urls = [webA!.url, webB!.url];
    const [conversationRef, callbackRef] = await Promise.all([
      referenceRun(numberFor(run, 0), CONVERSATION, { urls: [webA!.url], counts: new Counts() }, received),
      referenceRun(numberFor(run, 1), CALLBACK_REQUEST, { urls: [webB!.url], counts: new Counts() }, received),
    ]);

    const counts = new Counts();
    const first = Array.from({ length: PHASE }, (_, i) => numberFor(run, 100 + i));
    const doubled = Array.from({ length: 10 }, (_, i) => numberFor(run, 5_000 + i));
    const callers = Array.from({ length: CALLBACKS }, (_, i) => numberFor(run, 10_000 + i));
    await Promise.all([
      runConversations(first, CONVERSATION, 10, { urls, counts }),
      runConversations(callers, CALLBACK_REQUEST, 4, { urls, counts }),
      // a provider redelivery landing on the other web process at the same moment: same MessageSid to both
      inPool(doubled, 5, async (from) => {
        for (const body of CONVERSATION) {
          const sid = `SM${randomBytes(16).toString('hex')}`;
          await Promise.all(urls.map((url) => postSms(from, body, { urls: [url], counts }, sid)));
        }
      }),
    ]);
    const expected = (n: string) => (callers.includes(n) ? callbackRef.length : conversationRef.length);
    await waitFor(() => [...first, ...doubled, ...callers].every((n) => received(n).length >= expected(n)), 60_000);
    await settle(() => stack.fake.messages.length, 1_500);

    const odd = [
      ...compareWithReference(received, [...first, ...doubled], conversationRef, counts),
      ...compareWithReference(received, callers, callbackRef, counts),
    ];

    // one worker dies without a word in the middle of the next conversations: the other takes its jobs
    const second = Array.from({ length: PHASE }, (_, i) => numberFor(run, 200 + i));
    const traffic = runConversations(second, CONVERSATION, 10, { urls, counts });
    await waitFor(() => stack.fake.messages.length > 0 && second.some((n) => received(n).length > 0), 30_000);
    await workerA!.stop('SIGKILL');
    await traffic;
    const pending = async () => Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where status in ('queued', 'sending')"))[0]!.n);
    await waitFor(async () => (await pending()) === 0, 90_000);
    await settle(() => stack.fake.messages.length, 1_500);
    let missing = 0;
    let duplicatedAfterKill = 0;
    for (const to of second) {
      const got = received(to);
      duplicatedAfterKill += got.length - new Set(got).size;
      missing += conversationRef.filter((b) => !got.includes(b)).length;
    }
    const rows = await stack.query<{ notified_at: Date | null }>('select notified_at from callback_requests');
    const told = callers.map((n) => received(n).join('\n').match(REF_CODE)?.[0]).filter(Boolean);
    const rowsIn = async (statuses: string) => Number((await stack.query<{ n: string }>(`select count(*) as n from outbound_messages where status in (${statuses})`))[0]!.n);
    const sentRows = await rowsIn("'sent', 'delivered'");
    const unknownRows = await rowsIn("'unknown'");
    counts.extra['sms_sent'] = stack.fake.messages.length;
    counts.extra['sent_rows'] = sentRows;
    counts.extra['unknown_rows'] = unknownRows;
    counts.extra['missing_after_kill'] = missing;
    counts.extra['rows_left_pending'] = await pending();
    counts.print('process roles');

    expect(counts.accepted).toBe(counts.tried);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(odd).toEqual([]);
    // after the kill: nothing twice, and a reply missing only where its send is recorded `unknown` (at most once)
    expect(duplicatedAfterKill).toBe(0);
    expect(missing).toBeLessThanOrEqual(unknownRows);
    expect(counts.extra['rows_left_pending']).toBe(0);
    expect(stack.fake.messages.length).toBeLessThanOrEqual(sentRows + unknownRows);
    expect(stack.fake.messages.length).toBeGreaterThanOrEqual(sentRows);
    expect(told).toHaveLength(CALLBACKS);
    expect(rows).toHaveLength(CALLBACKS + 1);
    expect(rows.every((r) => r.notified_at !== null)).toBe(true);
    await workerB!.stop();
  });
});
