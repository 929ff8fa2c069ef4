import { CONVERSATION, referenceRun, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt, type ServiceInstance } from './support/service-instance';
import { SlowProxy } from './support/slow-proxy';
import { Counts, inPool, numberFor, postSms, runTag, sleep, waitFor } from './support/traffic';

jest.setTimeout(300_000);

const KILLS = 20;
/** Conversations whose replies are being sent while the worker is killed (3 SMS each, 2 turns). */
const CONVERSATIONS = 40;
/**
 * Two instances, each sending through its own slow proxy, so the one in the middle of a send is known
 * and killed while the other keeps sending: a restart (a few seconds of booting) no longer stops all
 * sending, and the 20 kills take half the time. A job whose worker died is picked up by either.
 */
const INSTANCES = 2;

describe('the worker process killed (SIGKILL) in the middle of a send, 20 times (own Redis and PostgreSQL)', () => {
  let stack: ResilienceStack;
  const proxies: SlowProxy[] = [];

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('workerkill');
    for (let i = 0; i < INSTANCES; i++) proxies.push(await new SlowProxy(stack.fake.url, 250).start());
  });

  afterAll(async () => {
    for (const proxy of proxies) await proxy.stop();
    await stack?.dispose();
  });

  it('sends each reply at most once: every one either reached the provider once or is recorded unknown', async () => {
    // BullMQ hands a dead worker's job back once its lock runs out: 5 s here instead of the 30 s default
    const envOf = (i: number) => ({ TWILIO_API_BASE_URL: proxies[i]!.url, WORKER_LOCK_MS: '5000' });
    const services: Array<ServiceInstance | undefined> = await Promise.all(proxies.map((_, i) => stack.startInstance(envOf(i))));
    const urls = [services[0]!.url];
    const received = (to: string) => stack.fake.bodiesTo(to);
    const run = runTag();
    const reference = (await referenceRun(numberFor(run, 0), CONVERSATION.slice(0, 2), { urls, counts: new Counts() }, received)).slice();

    // All inbound accepted first (a provider redelivery within the dead process's lease is another story),
    // so the replies pile up in the outbound queue, sent one at a time through the slow proxy.
    const numbers = Array.from({ length: CONVERSATIONS }, (_, i) => numberFor(run, 100 + i));
    const counts = new Counts();
    await inPool(numbers, 10, async (from) => {
      for (const body of CONVERSATION.slice(0, 2)) await postSms(from, body, { urls, counts });
    });

    // From here each send is held at the proxy until its sender has been killed: every kill lands
    // mid-send, and no send slips through between two kills however slowly a busy machine lets this
    // loop look (on a loaded machine it once ran out of sends after 12 kills).
    for (const proxy of proxies) proxy.holdUntilReleased();
    let kills = 0;
    const restarts: Promise<unknown>[] = [];
    // a held request, not one still being passed on for a process killed a moment ago
    const sending = () => proxies.findIndex((p, i) => services[i] !== undefined && p.holding > 0);
    while (kills < KILLS) {
      // generous: both instances may be booting again at once, which takes long on a loaded machine
      if (!(await waitFor(() => sending() >= 0, 60_000))) break;
      const i = sending();
      await sleep(Math.floor(Math.random() * 150));
      const victim = services[i]!;
      services[i] = undefined;
      await victim.stop('SIGKILL');
      proxies[i]!.release(); // the provider still gets what had left the dead process
      kills++;
      restarts.push(stack.startInstance(envOf(i), victim.port).then((s) => (services[i] = s)));
    }
    // the replies left are sent undisturbed, as fast as the fake provider answers
    for (const proxy of proxies) {
      proxy.delayMs = 0;
      proxy.release(true);
    }
    await Promise.all(restarts);
    // The jobs whose worker died come back after their lock runs out (5 s, checked every 5 s): wait for those too.
    const pending = async () => Number((await stack.query<{ n: string }>("select count(*) as n from outbound_messages where status in ('queued', 'sending')"))[0]!.n);
    await waitFor(async () => (await pending()) === 0, 90_000);
    await settle(() => stack.fake.messages.length, 1_500);

    const byStatus = Object.fromEntries(
      (await stack.query<{ status: string; n: string }>('select status, count(*) as n from outbound_messages group by status')).map((r) => [r.status, Number(r.n)]),
    );
    const unknown = byStatus['unknown'] ?? 0;
    for (const to of numbers) {
      const got = received(to);
      counts.duplicated += got.length - new Set(got).size;
      counts.lost += reference.filter((b) => !got.includes(b)).length;
    }
    const missing = counts.lost;
    counts.lost = Math.max(0, missing - unknown); // a missing reply recorded `unknown` is accounted for
    counts.extra['kills'] = kills;
    counts.extra['sms_sent'] = stack.fake.messages.length;
    counts.extra['unknown_rows'] = unknown;
    counts.extra['missing_replies'] = missing;
    // a row left queued or sending is a reply neither sent nor accounted for (its job was dropped)
    counts.extra['rows_left_pending'] = await pending();
    counts.print('worker killed mid-send');

    expect(kills).toBe(KILLS);
    expect(counts.accepted).toBe(counts.tried);
    expect(counts.duplicated).toBe(0);
    expect(counts.lost).toBe(0);
    expect(missing).toBeLessThanOrEqual(unknown);
    expect(counts.extra['rows_left_pending']).toBe(0);
  });
});
