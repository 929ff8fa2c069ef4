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

  it('keeps each contact in order, handles a redelivery once, runs every job once, and survives a killed worker', async () => {
    const env = { TWILIO_TIMEOUT_MS: '5000' };
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

    // one worker dies without a word; the next conversations are all sent by the other
    await workerA!.stop('SIGKILL');
    const second = Array.from({ length: PHASE }, (_, i) => numberFor(run, 200 + i));
    await runConversations(second, CONVERSATION, 10, { urls, counts });
    await waitFor(() => second.every((n) => received(n).length >= conversationRef.length), 60_000);
    await settle(() => stack.fake.messages.length, 1_500);

    const odd = [
      ...compareWithReference(received, [...first, ...doubled, ...second], conversationRef, counts),
      ...compareWithReference(received, callers, callbackRef, counts),
    ];
    const rows = await stack.query<{ notified_at: Date | null }>('select notified_at from callback_requests');
    const told = callers.map((n) => received(n).join('\n').match(REF_CODE)?.[0]).filter(Boolean);
    const rowsIn = async (statuses: string) => Number((await stack.query<{ n: string }>(`select count(*) as n from outbound_messages where status in (${statuses})`))[0]!.n);
    const sentRows = await rowsIn("'sent', 'delivered'");
    const unknownRows = await rowsIn("'unknown'");
    counts.extra['sms_sent'] = stack.fake.messages.length;
    counts.extra['sent_rows'] = sentRows;
    counts.extra['unknown_rows'] = unknownRows;
    counts.print('process roles');

    expect(counts.accepted).toBe(counts.tried);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(odd).toEqual([]);
    expect(stack.fake.messages.length).toBe(sentRows + unknownRows);
    expect(told).toHaveLength(CALLBACKS);
    expect(rows).toHaveLength(CALLBACKS + 1);
    expect(rows.every((r) => r.notified_at !== null)).toBe(true);
    await workerB!.stop();
  });
});
