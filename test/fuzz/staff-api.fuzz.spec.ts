import fc from 'fast-check';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { pendingRequest } from '../staff/staff-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, startStaffApp, type StaffApp } from '../staff/staff-harness';
import { FUZZ_RUNS, fuzzParameters, hostileText, watchUnhandledRejections, wrongType } from './hostile.arbitraries';

jest.setTimeout(Math.max(240_000, FUZZ_RUNS * 150));

type Target = { method: string; path: (id: string) => string; weight: number };

/** Every JSON endpoint that reads a body or an id; logins are few (each one hashes a password). */
const TARGETS: Target[] = [
  { method: 'POST', path: (id) => `/requests/${id}/outcome`, weight: 4 },
  { method: 'POST', path: (id) => `/requests/${id}/reassign`, weight: 3 },
  { method: 'POST', path: (id) => `/requests/${id}/claim`, weight: 1 },
  { method: 'POST', path: (id) => `/requests/${id}/release`, weight: 1 },
  { method: 'GET', path: (id) => `/requests/${id}`, weight: 1 },
  { method: 'POST', path: () => '/users', weight: 3 },
  { method: 'PATCH', path: (id) => `/users/${id}`, weight: 3 },
  { method: 'GET', path: (id) => `/audit?page=${id}`, weight: 1 },
  { method: 'POST', path: () => '/session', weight: 1 },
];

const FIELDS = ['outcome', 'note', 'notes', 'staffId', 'to', 'email', 'password', 'displayName', 'role', 'languages', 'active', 'disabled'];

/** A body of the right shape with hostile values, or a body of the wrong shape altogether. */
const body = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(hostileText, wrongType, fc.constantFrom('reached', 'no_answer', 'admin', 'caller', 'fr', 'true'))),
  wrongType,
);

const caseArbitrary = fc.record({
  target: fc.oneof(...TARGETS.map((t) => ({ weight: t.weight, arbitrary: fc.constant(t) }))),
  id: fc.oneof(fc.constant('REAL'), fc.uuid(), hostileText.map((t) => encodeURIComponent(t.replace(/[\uD800-\uDFFF]/g, '?')).slice(0, 2000))),
  body,
});

/**
 * Hostile JSON bodies and ids against the staff API, signed in as an admin with a valid CSRF token so
 * that they reach the handlers: every answer below 500, nothing unhandled, and her session (and the
 * queue) still answers after each case.
 */
describe(`the staff API under ${FUZZ_RUNS} hostile bodies`, () => {
  const prefix = testPrefix('fuzz_staff');
  const rejections = watchUnhandledRejections();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let staff: StaffApp;
  let client: StaffClient;
  let requestId: string;

  beforeAll(async () => {
    db = await createTestDatabase('fuzz_staff');
    staff = await startStaffApp(prefix, db.url);
    client = new StaffClient(staff.url);
    expect((await client.apiLogin(ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    requestId = (await pendingRequest(staff)).id;
  });

  afterAll(async () => {
    rejections.stop();
    await staff?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  // kept from the fuzzer's failures (seed 20261128): each answered 500 before the fix in staff-users.repository
  it.each([
    ['an account id that is not a uuid', 'PATCH', '/users/%E2%80%8B%E2%80%8B', {}],
    ['a login e-mail holding a NUL', 'POST', '/session', { email: '\u0000', password: 'x' }],
    ['a display name holding a NUL', 'POST', '/users', { email: 'nul@sira.test', displayName: 'a\u0000b', password: 'long-enough-password-1', role: 'caller', languages: ['fr'] }],
  ])('answers %s below 500 and stays signed in', async (_what, method, path, sent) => {
    const reply = await client.send(method, `/staff/api${path}`, JSON.stringify(sent), 'application/json', { 'x-csrf-token': client.csrf });
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect((await client.api('GET', '/queue')).status).toBe(200);
  });

  it('answers every case below 500, leaves no rejection unhandled, and the staff session still answers', async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ target, id, body: sent }) => {
        cases++;
        const path = target.path(id === 'REAL' ? requestId : id);
        const raw = sent === undefined || target.method === 'GET' ? undefined : JSON.stringify(sent);
        const reply = await client.send(target.method, `/staff/api${path}`, raw, raw === undefined ? undefined : 'application/json', { 'x-csrf-token': client.csrf });
        if (target.path('x') === '/session' && reply.status === 200) client.csrf = reply.json<{ csrfToken: string }>().csrfToken;
        const queue = await client.api('GET', '/queue');
        if (reply.status >= 500 || queue.status !== 200) {
          throw new Error(`${target.method} ${path.slice(0, 200)} ${raw?.slice(0, 300)} → ${reply.status}; queue afterwards ${queue.status}`);
        }
      }),
      fuzzParameters(),
    );
    console.log(`staff api fuzz: ${cases} cases, 0 failures, ${rejections.count()} unhandled rejections`);
    expect(rejections.count()).toBe(0);
    expect(cases).toBeGreaterThanOrEqual(FUZZ_RUNS);
  });
});
