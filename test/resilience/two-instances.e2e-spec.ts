import { randomBytes } from 'node:crypto';
import { CALLBACK_REQUEST, CONVERSATION, referenceRun, runConversations, settle } from './support/conversation-script';
import { openResilienceStack, type ResilienceStack } from './support/resilience-stack';
import { ensureServiceBuilt } from './support/service-instance';
import { compareWithReference, Counts, inPool, numberFor, postSms, REF_CODE, runTag, waitFor } from './support/traffic';

jest.setTimeout(150_000);

/** 60 conversations alternating between the instances, 20 more whose every message both receive, 8 callback requests. */
const ALTERNATING = 60;
const DOUBLED = 20;
const CALLBACKS = 8;

describe('two instances on two ports sharing one Redis and one PostgreSQL (all their own)', () => {
  let stack: ResilienceStack;

  beforeAll(async () => {
    ensureServiceBuilt();
    stack = await openResilienceStack('twoinst');
  });

  afterAll(async () => {
    await stack?.dispose();
  });

  it('keeps each contact in order, handles a message delivered to both once, and runs every job once', async () => {
    // A provider call is given 5 s, not the stack's 1 s: this drill is not about timeouts, and on a busy
    // machine a send answered late is recorded `unknown` although the fake provider did get it.
    const env = { TWILIO_TIMEOUT_MS: '5000' };
    const [a, b] = await Promise.all([stack.startInstance(env), stack.startInstance(env)]);
    const urls = [a!.url, b!.url];
    const received = (to: string) => stack.fake.bodiesTo(to);
    const run = runTag();
    // the two references are two contacts of their own, each on one instance: undisturbed side by side
    const [conversationRef, callbackRef] = await Promise.all([
      referenceRun(numberFor(run, 0), CONVERSATION, { urls: [a!.url], counts: new Counts() }, received),
      referenceRun(numberFor(run, 1), CALLBACK_REQUEST, { urls: [b!.url], counts: new Counts() }, received),
    ]);

    const counts = new Counts();
    const alternating = Array.from({ length: ALTERNATING }, (_, i) => numberFor(run, 100 + i));
    const doubled = Array.from({ length: DOUBLED }, (_, i) => numberFor(run, 5_000 + i));
    const callers = Array.from({ length: CALLBACKS }, (_, i) => numberFor(run, 10_000 + i));
    let duplicates = 0;
    await Promise.all([
      runConversations(alternating, CONVERSATION, 10, { urls, counts }),
      runConversations(callers, CALLBACK_REQUEST, 4, { urls, counts }),
      // A provider redelivery landing on the other instance at the same moment: same MessageSid to both.
      inPool(doubled, 5, async (from) => {
        for (const body of CONVERSATION) {
          const sid = `SM${randomBytes(16).toString('hex')}`;
          await Promise.all(urls.map((url) => postSms(from, body, { urls: [url], counts }, sid)));
          duplicates++;
        }
      }),
    ]);

    const everyone = [...alternating, ...doubled, ...callers];
    const expected = (n: string) => (callers.includes(n) ? callbackRef.length : conversationRef.length);
    await waitFor(() => everyone.every((n) => received(n).length >= expected(n)), 60_000);
    await settle(() => stack.fake.messages.length, 1_500);
    const odd = [
      ...compareWithReference(received, [...alternating, ...doubled], conversationRef, counts),
      ...compareWithReference(received, callers, callbackRef, counts),
    ];
    for (const n of odd) console.log(`[resilience] differs from the reference: ${received(n).length} SMS, expected ${expected(n)}:\n${received(n).map((b, i) => `${b === (callers.includes(n) ? callbackRef : conversationRef)[i] ? "=" : "≠"} ${b.slice(0, 70)}`).join("\n")}`);

    const rows = await stack.query<{ ref_code: string; notified_at: Date | null }>('select ref_code, notified_at from callback_requests');
    const told = callers.map((n) => received(n).join('\n').match(REF_CODE)?.[0]).filter(Boolean);
    const rowsIn = async (statuses: string) => Number((await stack.query<{ n: string }>(`select count(*) as n from outbound_messages where status in (${statuses})`))[0]!.n);
    const sentRows = await rowsIn("'sent', 'delivered'");
    // a send whose answer came too late: the provider may have it, so it is counted with the provider calls
    const unknownRows = await rowsIn("'unknown'");
    counts.extra['redelivered_to_both'] = duplicates;
    counts.extra['sms_sent'] = stack.fake.messages.length;
    counts.extra['sent_rows'] = sentRows;
    counts.extra['unknown_rows'] = unknownRows;
    counts.extra['callback_rows'] = rows.length - 1;
    counts.print('two instances');

    expect(counts.accepted).toBe(counts.tried);
    expect(counts.lost).toBe(0);
    expect(counts.duplicated).toBe(0);
    expect(odd).toEqual([]);
    // every outbound job ran once: one provider call per recorded message (sent, or sent but answered late)
    expect(stack.fake.messages.length).toBe(sentRows + unknownRows);
    expect(told).toHaveLength(CALLBACKS);
    expect(rows).toHaveLength(CALLBACKS + 1);
    expect(rows.every((r) => r.notified_at !== null)).toBe(true);
  });
});
