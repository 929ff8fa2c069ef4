/**
 * "Take next" under concurrency, on the real PostgreSQL and Redis: two staff pressing at the same moment
 * never get the same request, and a claim nobody resolves returns to the queue by the callback module's
 * expire-claim job at the injected time.
 */
import { CallbackJobName } from '../../src/callbacks/callback-jobs';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { CallbackScheduler } from '../../src/callbacks/callback.scheduler';
import { createTestDatabase, deleteRedisPrefix, eventually, testPrefix } from '../sms/sms-test.helpers';
import { PASSWORD, pendingRequest, staffMember } from './staff-fixtures';
import { StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(120_000);

type TakeNext = { result: string; request: { id: string } | null };

describe('take next', () => {
  const prefix = testPrefix('stafftake');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let a: StaffClient;
  let b: StaffClient;
  let aId: string;
  let bEmail: string;

  beforeAll(async () => {
    db = await createTestDatabase('stafftake');
    // the clock moves by hours here: sessions must outlive it
    app = await startStaffApp(prefix, db.url, { STAFF_SESSION_IDLE_MINUTES: '1440', STAFF_SESSION_MAX_HOURS: '168' });
    const [one, two] = [await staffMember(app, 'agent'), await staffMember(app, 'agent')];
    aId = one.id;
    bEmail = two.email;
    a = new StaffClient(app.url);
    b = new StaffClient(app.url);
    expect((await a.apiLogin(one.email, PASSWORD)).status).toBe(200);
    expect((await b.apiLogin(two.email, PASSWORD)).status).toBe(200);
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  /** Each agent gives back what it holds, so the next round starts clean. */
  async function releaseAll(...results: TakeNext[]) {
    for (const [client, r] of [[a, results[0]], [b, results[1]]] as const) {
      if (r?.request) expect((await client.api('POST', `/requests/${r.request.id}/outcome`, { outcome: 'reached' })).status).toBe(200);
    }
  }

  it('gives two staff pressing at once two different requests', async () => {
    await pendingRequest(app);
    await pendingRequest(app);
    const [ra, rb] = (await Promise.all([a.api('POST', '/queue/take-next'), b.api('POST', '/queue/take-next')])).map((r) => r.json<TakeNext>());
    expect([ra.result, rb.result]).toEqual(['claimed', 'claimed']);
    expect(ra.request!.id).not.toBe(rb.request!.id);
    await releaseAll(ra, rb);
  });

  it('gives the last request to exactly one of them, and "queue empty" to the other, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const only = await pendingRequest(app);
      const results = (await Promise.all([a.api('POST', '/queue/take-next'), b.api('POST', '/queue/take-next')])).map((r) => r.json<TakeNext>());
      expect(results.map((r) => r.result).sort()).toEqual(['claimed', 'empty']);
      expect(results.find((r) => r.result === 'claimed')!.request!.id).toBe(only.id);
      await releaseAll(...results);
    }
  });

  it('hands out urgent first, then the oldest, and only in a language the staff member speaks', async () => {
    const bambara = await pendingRequest(app, { callLanguage: 'bm' });
    const old = await pendingRequest(app);
    const urgent = await pendingRequest(app, { urgent: true });
    const first = (await a.api('POST', '/queue/take-next')).json<TakeNext>();
    const second = (await b.api('POST', '/queue/take-next')).json<TakeNext>();
    expect([first.request!.id, second.request!.id]).toEqual([urgent.id, old.id]);
    await releaseAll(first, second);
    expect((await a.api('POST', '/queue/take-next')).json<TakeNext>()).toEqual({ result: 'empty', request: null });
    expect((await app.app.get(CallbackRequestsRepository).findById(bambara.id))?.status).toBe('pending');
  });

  it('offers nobody a request outside her safe window', async () => {
    app.clock.advance(Date.UTC(2026, 0, 15, 13, 0) - app.clock.now()); // Thursday 13:00: her mornings are over
    const r = await pendingRequest(app);
    expect((await a.api('POST', '/queue/take-next')).json<TakeNext>().result).toBe('empty');
    const queue = (await a.api('GET', '/queue')).json<{ items: Array<{ id: string; callableNow: boolean; nextCallAt: string }> }>();
    expect(queue.items.find((i) => i.id === r.id)).toMatchObject({ callableNow: false, nextCallAt: new Date(Date.UTC(2026, 0, 16, 8)).toISOString() });
  });

  it('returns a claim nobody resolved to the queue when its time is up, for a colleague to take', async () => {
    app.clock.advance(Date.UTC(2026, 0, 16, 9, 0) - app.clock.now()); // Friday 09:00
    const taken = (await a.api('POST', '/queue/take-next')).json<TakeNext>();
    expect(taken.result).toBe('claimed');
    const requests = app.app.get(CallbackRequestsRepository);
    const held = await requests.findById(taken.request!.id);
    expect(held).toMatchObject({ status: 'claimed', claimedBy: aId });
    const job = await app.app.get(CallbackScheduler).queue.getJob(`${CallbackJobName.ExpireClaim}-${held!.id}-${held!.claims}`);
    expect(job!.delay).toBe(app.config.callbacks.claimTtlMs);
    app.clock.advance(app.config.callbacks.claimTtlMs);
    await job!.promote();
    await eventually(async () => (await requests.findById(held!.id))?.status === 'pending', 15_000, 'claim expired');
    expect((await b.apiLogin(bEmail, PASSWORD)).status).toBe(200); // a day has passed for this colleague
    expect((await b.api('POST', '/queue/take-next')).json<TakeNext>()).toMatchObject({ result: 'claimed', request: { id: held!.id } });
    // the first agent's old claim is gone: recording an outcome on it is refused
    expect((await a.api('POST', `/requests/${held!.id}/outcome`, { outcome: 'reached' })).status).toBe(403);
  });
});
