import { CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { Counts, numberFor, postSms, runTag, sleep, waitFor } from './support/traffic';

jest.setTimeout(120_000);

/** 30 conversations of 3 turns (120 replies), with 24 of the sends failing at the fake Twilio. */
const CONVERSATIONS = 30;

describe('the fake Twilio answering 5xx, 429 and not at all (its own Redis and PostgreSQL)', () => {
  let stack: ResilienceStack;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('provider');
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('loses no reply on 5xx/429, never sends one twice, counts timeouts as unknown, and sends nothing after STOP or a carrier block', async () => {
    const service = await stack.startInstance({ TWILIO_TIMEOUT_MS: '1000' });
    const urls = [service.url];
    const fake = stack.fake;
    const received = (to: string) => fake.bodiesTo(to);
    const run = runTag();
    const reference = await referenceRun(numberFor(run, 0), CONVERSATION, { urls, counts: new Counts() }, received);

    const HANGS = 4;
    for (let i = 0; i < 4; i++) {
      fake.failNext({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'status', status: 429, retryAfterSeconds: 1 }, { kind: 'status', status: 502 }, { kind: 'status', status: 500 });
      fake.failNext({ kind: 'hang' });
    }
    const numbers = Array.from({ length: CONVERSATIONS }, (_, i) => numberFor(run, 100 + i));
    const counts = new Counts();
    await runConversations(numbers, CONVERSATION, 10, { urls, counts });
    const expectedTotal = numbers.length * reference.length;
    await waitFor(() => fake.messages.filter((m) => numbers.includes(m.to)).length >= expectedTotal - HANGS, 60_000);
    await settle(() => fake.messages.length, 2_500);

    // A send the fake never answered may have gone out: it is `unknown`, and never attempted again.
    const hung = fake.attempts.filter((a) => !fake.messages.some((m) => m.sid === a.sid) && !fake.attempts.some((b) => b !== a && b.to === a.to && b.body === a.body && b.at > a.at));
    const unknownRows = Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where status = 'unknown'"))[0]!.n);
    for (const to of numbers) {
      const got = [...received(to)].sort();
      const want = [...reference].sort();
      const missing = want.filter((b) => !got.includes(b)).length;
      const extra = got.length - new Set(got).size + got.filter((b) => !want.includes(b)).length;
      counts.duplicated += extra;
      counts.lost += missing;
    }
    counts.lost -= unknownRows; // the unknown ones are accounted for (staff see them), not lost
    const resentAfterHang = fake.attempts.filter((a, i) => fake.attempts.slice(0, i).some((b) => b.to === a.to && b.body === a.body && !fake.messages.some((m) => m.sid === b.sid) && hungSid(b.sid))).length;
    function hungSid(sid: string) {
      return hung.some((h) => h.sid === sid);
    }

    // STOP, and a carrier block (Twilio 21610): nothing is sent to either afterwards.
    const stopper = numberFor(run, 900);
    const blocked = numberFor(run, 901);
    await postSms(stopper, 'Bonjour', { urls, counts });
    await waitFor(() => received(stopper).length === 1, 10_000);
    await postSms(stopper, 'STOP', { urls, counts });
    await waitFor(() => received(stopper).length === 2, 10_000);
    fake.failNext({ kind: 'status', status: 400, code: 21610 });
    await postSms(blocked, 'Bonjour', { urls, counts });
    await waitFor(async () => Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where error_code = '21610'"))[0]!.n) === 1, 10_000);
    const before = { stopper: fake.attempts.filter((a) => a.to === stopper).length, blocked: fake.attempts.filter((a) => a.to === blocked).length };
    for (const body of ['Bonjour', '1', 'AIDE']) {
      await postSms(stopper, body, { urls, counts });
      await postSms(blocked, body, { urls, counts });
    }
    await sleep(2_000);
    const after = { stopper: fake.attempts.filter((a) => a.to === stopper).length, blocked: fake.attempts.filter((a) => a.to === blocked).length };

    counts.extra['provider_failures'] = 24;
    counts.extra['unknown_sends'] = unknownRows;
    counts.extra['resent_after_timeout'] = resentAfterHang;
    counts.extra['sent_after_stop_or_block'] = after.stopper - before.stopper + after.blocked - before.blocked;
    counts.print('provider failures');

    expect(counts.accepted).toBe(counts.tried);
    expect(unknownRows).toBe(HANGS);
    expect(resentAfterHang).toBe(0);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(after).toEqual(before);
  });
});
