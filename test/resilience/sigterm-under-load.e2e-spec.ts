import { CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt, type ServiceInstance } from './support/service-instance';
import { compareWithReference, Counts, numberFor, runTag, waitFor } from './support/traffic';

jest.setTimeout(120_000);

/** Volume: 80 conversations × 3 turns, 16 at a time (about 20 s on 2 shared cores). */
const CONVERSATIONS = 80;

describe('SIGTERM under load (a real process, its own Redis and PostgreSQL)', () => {
  let stack: ResilienceStack;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('sigterm');
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('finishes what is in flight, exits 0 within 10 s, and nothing it accepted is lost or sent twice', async () => {
    const first = await stack.startInstance();
    const urls = [first.url];
    const counts = new Counts();
    const received = (to: string) => stack.fake.bodiesTo(to);
    const run = runTag();
    const reference = await referenceRun(numberFor(run, 0), CONVERSATION, { urls, counts: new Counts() }, received);

    const numbers = Array.from({ length: CONVERSATIONS }, (_, i) => numberFor(run, i + 1));
    let stopping: Promise<{ code: number | null; ms: number }> | undefined;
    let second: ServiceInstance | undefined;
    const traffic = runConversations(numbers, CONVERSATION, 16, { urls, counts }, (c) => {
      if (stopping || c.accepted < (CONVERSATIONS * CONVERSATION.length) / 3) return;
      // A rolling upgrade: the old process gets SIGTERM while the load goes on; the next one takes over.
      stopping = first.stop('SIGTERM');
      void stack.startInstance().then((next) => {
        second = next;
        urls.splice(0, urls.length, next.url);
      });
    });
    await traffic;
    const stopped = await stopping!;
    await waitFor(() => second !== undefined, 30_000);

    await waitFor(() => numbers.every((n) => received(n).length >= reference.length), 60_000);
    await settle(() => stack.fake.messages.length);
    compareWithReference(received, numbers, reference, counts);
    counts.extra['exit_code'] = stopped.code ?? -1;
    counts.extra['exit_ms'] = stopped.ms;
    counts.print('SIGTERM under load');

    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    expect(counts.accepted).toBe(counts.tried);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
  });
});
