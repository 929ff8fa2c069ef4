import { randomBytes } from 'node:crypto';
import { CONVERSATION, referenceRun, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { SlowTcpProxy } from './support/slow-tcp-proxy';
import { compareWithReference, Counts, numberFor, postSms, runTag, sleep, waitFor } from './support/traffic';

jest.setTimeout(120_000);

const CONTACTS = 12;

/**
 * A process killed in the middle of turns leaves leases and locks behind and, depending on where the
 * kill lands, a session already moved on with its replies not yet queued, or queued but the message not
 * marked done. The provider's retry of each message reaches the other instance at once.
 */
describe('an instance killed (SIGKILL) mid-turn while the provider retries on the other instance', () => {
  let stack: ResilienceStack;
  let proxy: SlowTcpProxy;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('crash');
    proxy = await new SlowTcpProxy(Number(new URL(stack.databaseUrl).port), 0).start();
  });

  afterAll(async () => {
    await proxy?.stop();
    await stack?.dispose();
  });

  it('answers every retried message once, so each conversation reads as an undisturbed one', async () => {
    const survivor = await stack.startInstance();
    const slowUrl = new URL(stack.databaseUrl);
    slowUrl.port = String(proxy.port);
    const doomed = await stack.startInstance({ DATABASE_URL: slowUrl.toString() });
    const received = (to: string) => stack.fake.bodiesTo(to);
    const run = runTag();
    const reference = await referenceRun(numberFor(run, 0), CONVERSATION, { urls: [survivor.url], counts: new Counts() }, received);

    const numbers = Array.from({ length: CONTACTS }, (_, i) => numberFor(run, 100 + i));
    const counts = new Counts();
    const [first, second, third] = CONVERSATION as [string, string, string];
    await Promise.all(numbers.map((n) => postSms(n, first, { urls: [survivor.url], counts })));
    await waitFor(() => numbers.every((n) => received(n).length >= 1), 20_000);

    // Every query of the doomed instance now takes 150 ms more: its turns are caught at every stage.
    proxy.delayMs = 150;
    const sids = numbers.map(() => `SM${randomBytes(16).toString('hex')}`);
    const cut = numbers.map((n, i) => sleep(i * 80).then(() => postSms(n, second, { urls: [doomed.url], counts: new Counts(), attempts: 1 }, sids[i])));
    await sleep(600);
    await doomed.stop('SIGKILL');
    const firstAnswers = await Promise.all(cut);
    counts.extra['answered_before_kill'] = firstAnswers.filter((s) => s === 200).length;

    // The provider's retries, same MessageSid, reach the survivor while the dead one's leases stand.
    const retried = await Promise.all(numbers.map((n, i) => postSms(n, second, { urls: [survivor.url], counts }, sids[i])));
    await Promise.all(numbers.map((n) => postSms(n, third, { urls: [survivor.url], counts })));

    await waitFor(() => numbers.every((n) => received(n).length >= reference.length), 30_000);
    await settle(() => stack.fake.messages.length);
    const odd = compareWithReference(received, numbers, reference, counts);
    for (const n of odd) console.log(`[resilience] differs from the reference: ${received(n).map((b) => b.slice(0, 50)).join(' | ')}`);
    counts.extra['turns_handed_over_again'] = survivor.output().split('handled before but not finished').length - 1;
    counts.print('instance killed mid-turn');

    expect(retried.every((status) => status === 200)).toBe(true);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(odd).toEqual([]);
  });
});
