import { CALLBACK_REQUEST, CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { compareWithReference, Counts, numberFor, REF_CODE, runTag, sleep, waitFor } from './support/traffic';

jest.setTimeout(150_000);

/**
 * The issue asks for 30 s; CI runs 10 s (SIRA_RESILIENCE_FULL=1 for 30): what matters is that the
 * outage spans many turns of many conversations, which 10 s does at this volume.
 */
const FULL = process.env.SIRA_RESILIENCE_FULL === '1';
const OUTAGE_MS = FULL ? 30_000 : 10_000;
const CONVERSATIONS = 60;
const CALLBACKS = 10;

interface Ready {
  status: number;
  spool?: number;
}

async function readiness(url: string): Promise<Ready> {
  const res = await fetch(`${url}/health/ready`);
  const body = (await res.json()) as { details?: { spool?: { depth?: number } } };
  return { status: res.status, spool: body.details?.spool?.depth };
}

describe('PostgreSQL stopped mid-traffic (its own server, stopped with pg_ctl)', () => {
  let stack: ResilienceStack;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('pgstop');
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  const result = {} as { counts: Counts; duringOutage: Ready[]; deepest: number; told: string[]; rows: { ref_code: string }[]; odd: number };

  it(`runs the traffic through a ${OUTAGE_MS / 1000} s outage and prints its counts`, async () => {
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
    let outage: Promise<Ready[]> | undefined;
    const onProgress = (c: Counts) => {
      if (outage || c.accepted < total / 5) return;
      outage = (async () => {
        stack.pg.stop();
        const seen: Ready[] = [];
        const until = Date.now() + OUTAGE_MS;
        while (Date.now() < until) {
          seen.push(await readiness(service.url));
          await sleep(1_000);
        }
        stack.pg.start();
        return seen;
      })();
    };
    const pace = { urls, counts };
    await Promise.all([
      runConversations(chats, CONVERSATION, 6, pace, onProgress),
      runConversations(callers, CALLBACK_REQUEST, 3, pace, onProgress),
    ]);
    const duringOutage = await outage!;

    const expected = (n: string) => (chats.includes(n) ? conversationRef.length : callbackRef.length);
    await waitFor(async () => (await readiness(service.url)).spool === 0, 60_000);
    await waitFor(() => [...chats, ...callers].every((n) => received(n).length >= expected(n)), 60_000);
    await settle(() => stack.fake.messages.length);
    const odd = [...compareWithReference(received, chats, conversationRef, counts), ...compareWithReference(received, callers, callbackRef, counts)];
    for (const n of odd) console.log(`[resilience] differs from the reference: ${received(n).length} SMS, expected ${expected(n)}:\n${received(n).map((b) => b.slice(0, 60)).join('\n')}`);

    const rows = await stack.query<{ ref_code: string }>('select ref_code from callback_requests');
    const told = callers.map((n) => received(n).join('\n').match(REF_CODE)?.[0]).filter((c): c is string => Boolean(c));
    const deepest = Math.max(0, ...duringOutage.map((r) => r.spool ?? 0));
    counts.extra['outage_ms'] = OUTAGE_MS;
    counts.extra['deepest_spool'] = deepest;
    counts.extra['callback_rows'] = rows.length - 1;
    counts.extra['callback_codes_told'] = told.length;
    counts.extra['confirmed_then_lost'] = told.filter((code) => !rows.some((r) => r.ref_code === code)).length;
    counts.extra['unknown_sends'] = Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where status = 'unknown'"))[0]!.n);
    counts.extra['spool_retried'] = service.output().split('tried again shortly').length - 1;
    counts.extra['spool_dropped'] = service.output().split('; dropped').length - 1;
    counts.print('PostgreSQL stopped');
    Object.assign(result, { counts, duringOutage, deepest, told, rows, odd: odd.length });
  });

  it('answers every webhook 200 within a few seconds, with the spool depth in /health/ready', () => {
    expect(result.counts.accepted).toBe(result.counts.tried);
    expect(result.counts.errors5xx + result.counts.unanswered).toBe(0);
    expect(result.counts.slowestMs).toBeLessThan(5_000);
    expect(result.duringOutage.some((r) => r.status === 503)).toBe(true);
    expect(result.deepest).toBeGreaterThan(0);
  });

  it('never confirms a callback request that is then lost', () => {
    expect(result.counts.extra['confirmed_then_lost']).toBe(0);
  });

  // A turn cut after her session was saved is not run again when the spool drains: its journal entry
  // hands the same replies over (src/conversations/turn.journal.ts). A reply whose job failed while the
  // database was down waits without spending its attempts, and younger replies to her wait for it.
  it('every conversation then reads exactly as an undisturbed one (no reply lost, reordered or doubled)', () => {
    expect([result.counts.lost, result.counts.duplicated, result.odd]).toEqual([0, 0, 0]);
  });
});
