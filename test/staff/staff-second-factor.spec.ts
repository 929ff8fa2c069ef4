/**
 * Staff accounts that hold up, against the running application on the real PostgreSQL and Redis: TOTP
 * enrolment and sign-in (codes computed from the secret the page shows, as an app would), codes accepted
 * once, recovery codes, the role requirement, resets, password changes, sessions, and sign-in limits that
 * can neither be raced nor turned against a staff member.
 */
import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { totpContext } from '../../src/staff/second-factor';
import { staffAuditLog, staffRecoveryCodes, staffUsers } from '../../src/staff/staff.schema';
import type { StaffUser } from '../../src/staff/staff.types';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { totpCode } from '../support/totp';
import { PASSWORD, staffMember } from './staff-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(120_000);

describe('staff second factor, passwords and sessions', () => {
  const prefix = testPrefix('staff2fa');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;

  beforeAll(async () => {
    db = await createTestDatabase('staff2fa');
    app = await startStaffApp(prefix, db.url, { STAFF_2FA_REQUIRED_ROLES: 'supervisor,admin', STAFF_LOGIN_FAILURES_PER_ACCOUNT: '10', STAFF_LOGIN_FAILURES_PER_ADDRESS: '1000' });
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const database = () => app.app.get<DatabaseHandle>(DATABASE_HANDLE).db;
  const actions = async (staffId: string) => (await database().select().from(staffAuditLog).where(eq(staffAuditLog.staffId, staffId))).map((r) => r.action);
  const nextStep = () => app.clock.advance(30_000);

  /** Signs in by the pages and enrols from the enrolment page as a person would; returns the secret and codes. */
  async function enrol(client: StaffClient): Promise<{ secret: string; codes: string[] }> {
    const page = await client.get('/staff/account/second-factor');
    expect(page.status).toBe(200);
    const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(page.text)![1]!;
    const sealed = /name="sealed" value="([^"]+)"/.exec(page.text)![1]!;
    const done = await client.post('/staff/account/second-factor', { sealed, code: totpCode(secret, app.clock.now()) });
    expect(done.status).toBe(200);
    const codes = [...done.text.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    await client.get('/staff/queue'); // the new session's CSRF token
    return { secret, codes };
  }

  let adminSecret: string | undefined;
  /** The first admin, signed in: enrolled the first time (her role requires it), with a code afterwards. */
  async function signInAdmin(): Promise<StaffClient> {
    const admin = new StaffClient(app.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    if (!adminSecret) {
      adminSecret = (await enrol(admin)).secret;
    } else {
      await admin.get('/staff/login/code');
      expect((await admin.post('/staff/login/code', { code: totpCode(adminSecret, app.clock.now()) })).location).toBe('/staff/queue');
      await admin.get('/staff/queue');
    }
    nextStep();
    return admin;
  }

  async function enrolledSupervisor(): Promise<{ user: StaffUser; secret: string; codes: string[] }> {
    const user = await staffMember(app, 'supervisor');
    const client = new StaffClient(app.url);
    await client.login(user.email, PASSWORD);
    const { secret, codes } = await enrol(client);
    nextStep();
    return { user, secret, codes };
  }

  it('a supervisor without a second factor reaches only the enrolment page until she enrols; then sign-in asks for a code', async () => {
    const user = await staffMember(app, 'supervisor');
    const client = new StaffClient(app.url);
    const login = await client.login(user.email, PASSWORD);
    expect(login.location).toBe('/staff/account/second-factor');
    expect((await client.get('/staff/queue')).location).toBe('/staff/account/second-factor');
    expect((await client.api('GET', '/queue')).status).toBe(403);
    const enrolPage = await client.get('/staff/account/second-factor');
    expect(enrolPage.text).toMatch(/<figure class="qr"><svg[^>]*>/);
    expect(enrolPage.text).not.toContain('<script');
    expect(enrolPage.headers.get('content-security-policy')).toContain("default-src 'none'");

    const { secret, codes } = await enrol(client);
    expect(codes).toHaveLength(10);
    expect((await client.get('/staff/queue')).status).toBe(200);
    expect(await actions(user.id)).toContain('second_factor_enrolled');

    // stored encrypted, bound to her row; the recovery codes only as argon2id hashes
    const [row] = await database().select().from(staffUsers).where(eq(staffUsers.id, user.id));
    expect(row!.totpSecretEnc).not.toContain(secret);
    expect(app.app.get(AddressCipher).decrypt(row!.totpSecretEnc!, totpContext(user.id))).toBe(secret);
    const hashes = await database().select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, user.id));
    expect(hashes).toHaveLength(10);
    for (const h of hashes) expect(h.codeHash).toMatch(/^\$argon2id\$/);

    nextStep();
    const again = new StaffClient(app.url);
    expect((await again.login(user.email, PASSWORD)).location).toBe('/staff/login/code');
    expect((await again.get('/staff/queue')).location).toBe('/staff/login/code');
    await again.get('/staff/login/code');
    const signedIn = await again.post('/staff/login/code', { code: totpCode(secret, app.clock.now()) });
    expect(signedIn.location).toBe('/staff/queue');
    expect((await again.get('/staff/queue')).status).toBe(200);
  });

  it('the API signs in with the code in the same call, and refuses a missing, wrong or already used code', async () => {
    const { user, secret } = await enrolledSupervisor();
    const missing = await new StaffClient(app.url).apiLogin(user.email, PASSWORD);
    expect(missing.status).toBe(401);
    expect(missing.json()).toMatchObject({ secondFactor: 'required' });

    const code = totpCode(secret, app.clock.now());
    const client = new StaffClient(app.url);
    client.csrf = (await client.api('GET', '/session')).json<{ csrfToken: string }>().csrfToken;
    const ok = await client.api('POST', '/session', { email: user.email, password: PASSWORD, code });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ stage: 'full', staff: { id: user.id, secondFactor: true } });
    client.csrf = ok.json<{ csrfToken: string }>().csrfToken;
    expect((await client.api('GET', '/queue')).status).toBe(200);

    // the same code again, in the same 30 seconds, and two attempts at once with the next one: one wins
    const reuse = new StaffClient(app.url);
    reuse.csrf = (await reuse.api('GET', '/session')).json<{ csrfToken: string }>().csrfToken;
    expect((await reuse.api('POST', '/session', { email: user.email, password: PASSWORD, code })).status).toBe(401);
    nextStep();
    const racers = [new StaffClient(app.url), new StaffClient(app.url)];
    for (const r of racers) r.csrf = (await r.api('GET', '/session')).json<{ csrfToken: string }>().csrfToken;
    const next = totpCode(secret, app.clock.now());
    const raced = await Promise.all(racers.map((r) => r.api('POST', '/session', { email: user.email, password: PASSWORD, code: next })));
    expect(raced.map((r) => r.status).sort()).toEqual([200, 401]);
    expect(await actions(user.id)).toContain('second_factor_failed');
  });

  it('a recovery code signs in once, and is refused the second time', async () => {
    const { user, codes } = await enrolledSupervisor();
    const first = new StaffClient(app.url);
    await first.login(user.email, PASSWORD);
    await first.get('/staff/login/code');
    expect((await first.post('/staff/login/code', { code: codes[0]!.toLowerCase() })).location).toBe('/staff/queue');
    const second = new StaffClient(app.url);
    await second.login(user.email, PASSWORD);
    await second.get('/staff/login/code');
    const refused = await second.post('/staff/login/code', { code: codes[0]! });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('Code incorrect ou déjà utilisé');
    expect(await actions(user.id)).toEqual(expect.arrayContaining(['recovery_code_used', 'second_factor_failed']));
  });

  it('wrong codes count with the sign-in limits: over the limit, even the right code waits (429)', async () => {
    const { user, secret } = await enrolledSupervisor();
    const client = new StaffClient(app.url);
    await client.login(user.email, PASSWORD);
    await client.get('/staff/login/code');
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await client.post('/staff/login/code', { code: '000000' })).status);
    expect(statuses).toEqual(Array(9).fill(401));
    const limited = await client.post('/staff/login/code', { code: totpCode(secret, app.clock.now()) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("an admin resets another account's second factor (audited; it enrols again), never her own (409)", async () => {
    const { user } = await enrolledSupervisor();
    const admin = await signInAdmin();
    const adminUser = (await database().select().from(staffUsers).where(eq(staffUsers.email, ADMIN_EMAIL)))[0]!;
    expect((await admin.api('POST', `/users/${adminUser.id}/second-factor/reset`)).status).toBe(409);
    expect((await admin.api('POST', `/users/${user.id}/second-factor/reset`)).status).toBe(204);
    expect(await actions(adminUser.id)).toContain('second_factor_reset');
    const again = new StaffClient(app.url);
    expect((await again.login(user.email, PASSWORD)).location).toBe('/staff/account/second-factor');

    // and her own role: 409, nothing changed
    const own = await admin.api('PATCH', `/users/${adminUser.id}`, { role: 'agent' });
    expect(own.status).toBe(409);
    expect(own.json<{ message: string }>().message).toMatch(/own role/);
    expect((await database().select().from(staffUsers).where(eq(staffUsers.id, adminUser.id)))[0]!.role).toBe('admin');
  });

  it('changing her password needs the current one, refuses a common one, and ends her other sessions', async () => {
    const user = await staffMember(app, 'agent');
    const phone = new StaffClient(app.url);
    await phone.login(user.email, PASSWORD);
    const desk = new StaffClient(app.url);
    await desk.login(user.email, PASSWORD);
    await desk.get('/staff/account/password');
    expect((await desk.post('/staff/account/password', { current: 'not-my-password-0', password: 'fleuve tisserand mangue 7', confirm: 'fleuve tisserand mangue 7' })).status).toBe(400);
    const common = await desk.post('/staff/account/password', { current: PASSWORD, password: 'Sunshine2026!', confirm: 'Sunshine2026!' });
    expect(common.status).toBe(400);
    expect(common.text).toContain('common password');
    expect((await phone.get('/staff/queue')).status).toBe(200);
    const changed = await desk.post('/staff/account/password', { current: PASSWORD, password: 'fleuve tisserand mangue 7', confirm: 'fleuve tisserand mangue 7' });
    expect(changed.location).toBe('/staff/account?m=password_changed');
    expect((await desk.get('/staff/queue')).status).toBe(200);
    expect((await phone.get('/staff/queue')).location).toBe('/staff/login');
    expect(await actions(user.id)).toContain('password_changed');
    expect((await new StaffClient(app.url).login(user.email, 'fleuve tisserand mangue 7')).location).toBe('/staff/queue');
  });

  it("an admin's password reset makes the account choose its own at its next sign-in", async () => {
    const user = await staffMember(app, 'agent');
    const admin = await signInAdmin();
    const adminUser = (await database().select().from(staffUsers).where(eq(staffUsers.email, ADMIN_EMAIL)))[0]!;
    expect((await admin.api('PATCH', `/users/${user.id}`, { password: 'temporary-pass-4821' })).status).toBe(200);
    const client = new StaffClient(app.url);
    expect((await client.login(user.email, 'temporary-pass-4821')).location).toBe('/staff/account/password');
    expect((await client.get('/staff/queue')).location).toBe('/staff/account/password');
    await client.get('/staff/account/password');
    const done = await client.post('/staff/account/password', { current: 'temporary-pass-4821', password: 'baobab soleil riviere 12', confirm: 'baobab soleil riviere 12' });
    expect(done.location).toBe('/staff/account?m=password_changed');
    expect((await client.get('/staff/queue')).status).toBe(200);
    expect(await actions(adminUser.id)).toContain('password_reset');
  });

  it('the account page lists her open sessions (browser family, partial address, never the full one) and ends one', async () => {
    const user = await staffMember(app, 'agent');
    const other = new StaffClient(app.url);
    await other.login(user.email, PASSWORD);
    const me = new StaffClient(app.url);
    await me.login(user.email, PASSWORD);
    const listed = await me.api('GET', '/account/sessions');
    const sessions = listed.json<{ sessions: Array<{ id: string; current: boolean; addressHint: string | null }> }>().sessions;
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.addressHint)).toEqual(['127.0.0.x', '127.0.0.x']);
    const page = await me.get('/staff/account');
    expect(page.text).toContain('127.0.0.x');
    expect(page.text).not.toContain('127.0.0.1');
    const theOther = sessions.find((s) => !s.current)!;
    expect((await me.post(`/staff/account/sessions/${theOther.id}/end`)).location).toBe('/staff/account?m=session_ended');
    expect((await other.get('/staff/queue')).location).toBe('/staff/login');
    expect((await me.get('/staff/queue')).status).toBe(200);
    expect(await actions(user.id)).toContain('session_ended');
  });

  it('60 wrong passwords at once get no more than the limit checked (the count is taken before the check)', async () => {
    const user = await staffMember(app, 'agent');
    const clients = await Promise.all(
      Array.from({ length: 60 }, async () => {
        const c = new StaffClient(app.url);
        await c.get('/staff/login');
        return c;
      }),
    );
    const statuses = await Promise.all(clients.map((c) => c.post('/staff/login', { email: user.email, password: 'wrong-password-000' }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    const failures = (await actions(user.id)).filter((a) => a === 'login_failed');
    expect(failures).toHaveLength(10);
  });

  it("a stranger's wrong passwords from another address do not lock a staff member out", async () => {
    const user = await staffMember(app, 'agent');
    for (let i = 0; i < 15; i++) await loginFrom('127.0.0.2', user.email, 'guessed-password-0');
    expect(await loginFrom('127.0.0.2', user.email, PASSWORD)).toBe(429);
    expect((await new StaffClient(app.url).login(user.email, PASSWORD)).location).toBe('/staff/queue');
  });

  /** A sign-in from another loopback address (the service sees a different client). */
  async function loginFrom(localAddress: string, email: string, password: string): Promise<number> {
    const { port } = new URL(app.url);
    const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      new Promise<{ status: number; text: string; cookies: string[] }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const form = await send('GET', '/staff/login', {});
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    const body = new URLSearchParams({ _csrf: csrf, email, password }).toString();
    const res = await send('POST', '/staff/login', { cookie: form.cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) }, body);
    return res.status;
  }
});
