/**
 * The dashboard's defences, against the running application on the real PostgreSQL and Redis: login
 * limits without lock-out, cookie flags, CSRF on the login form, security headers, deactivation ending
 * sessions at once, argon2id hashes, the admin-only BullMQ board, and the OpenAPI document agreeing with
 * the registered routes and the role table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { REDIS, type RedisClient } from '../../src/redis/redis.module';
import { staffCookieNames, staffCookieOptions } from '../../src/staff/staff-cookies';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { ROOT } from '../support/service-process';
import { PASSWORD, staffMember } from './staff-fixtures';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(120_000);

describe('staff dashboard security', () => {
  const prefix = testPrefix('staffsec');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;

  beforeAll(async () => {
    db = await createTestDatabase('staffsec');
    app = await startStaffApp(prefix, db.url, { STAFF_LOGIN_FAILURES_PER_ACCOUNT: '3', STAFF_LOGIN_FAILURES_PER_ADDRESS: '8' });
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const redis = () => app.app.get<RedisClient>(REDIS);
  const clearLoginCounts = async () => {
    const keys: string[] = [];
    for await (const batch of redis().scanIterator({ MATCH: `${prefix}:staff:login:*` })) keys.push(...batch);
    if (keys.length) await redis().del(keys);
  };

  it('slows a guessed account down with 429 for the rest of a 15-minute window, without locking it', async () => {
    await clearLoginCounts();
    const agent = await staffMember(app, 'agent');
    const client = new StaffClient(app.url);
    // a success clears the account's count: 2 wrong, right, 2 wrong still leaves the right password working
    for (const pw of ['wrong-1', 'wrong-2', PASSWORD, 'wrong-3', 'wrong-4']) await client.login(agent.email, pw);
    expect((await new StaffClient(app.url).login(agent.email, PASSWORD)).status).toBe(303);
    for (const pw of ['wrong-5', 'wrong-6', 'wrong-7']) expect((await client.login(agent.email, pw)).status).toBe(401);
    const limited = await new StaffClient(app.url).login(agent.email, PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    expect(limited.text).toContain('Trop d’essais');
    // the count is keyed by a hash of the e-mail, never the e-mail, and it expires by itself
    const keys: string[] = [];
    for await (const batch of redis().scanIterator({ MATCH: `${prefix}:staff:login:*` })) keys.push(...batch);
    expect(keys.join(' ')).not.toContain(agent.email);
    for (const key of keys) expect(await redis().ttl(key)).toBeGreaterThan(0);
    // the window passing (its keys expiring) is all it takes: no admin has to unlock anything
    await clearLoginCounts();
    expect((await new StaffClient(app.url).login(agent.email, PASSWORD)).status).toBe(303);
  });

  it('limits failed logins per client address across accounts (X-Forwarded-For is not believed)', async () => {
    await clearLoginCounts();
    const client = new StaffClient(app.url);
    for (let i = 0; i < 8; i++) expect((await client.login(`nobody-${i}@sira.test`, 'wrong-password')).status).toBe(401);
    await client.get('/staff/login');
    const spoofed = await client.send('POST', '/staff/login', new URLSearchParams({ _csrf: client.csrf, email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).toString(), 'application/x-www-form-urlencoded', { 'x-forwarded-for': '203.0.113.9' });
    expect(spoofed.status).toBe(429);
    await clearLoginCounts();
  });

  it('sets httpOnly, SameSite=Strict cookies (Secure and __Host- in production) and refuses a login form without its CSRF token', async () => {
    const client = new StaffClient(app.url);
    const page = await client.get('/staff/login');
    expect(page.headers.getSetCookie().every((c) => /HttpOnly/i.test(c) && /SameSite=Strict/i.test(c))).toBe(true);
    expect((await client.post('/staff/login', { _csrf: '', email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(403);
    const ok = await client.post('/staff/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
    expect(ok.status).toBe(303);
    const session = ok.headers.getSetCookie().find((c) => c.startsWith('sira_staff='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).not.toMatch(/Secure/i); // plain http in tests
    expect(staffCookieOptions({ production: true })).toMatchObject({ secure: true, httpOnly: true, sameSite: 'strict', path: '/' });
    expect(staffCookieNames({ production: true }).session).toBe('__Host-sira_staff');
  });

  it('sends strict security headers and forbids caching of pages', async () => {
    const client = new StaffClient(app.url);
    await client.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const queue = await client.get('/staff/queue');
    const csp = queue.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
    expect(csp).not.toContain('script-src');
    expect(queue.headers.get('x-content-type-options')).toBe('nosniff');
    expect(queue.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(queue.headers.get('referrer-policy')).toBe('no-referrer');
    expect(queue.headers.get('cache-control')).toContain('no-store');
    expect(queue.text).not.toContain('<script');
  });

  it('ends every session of an account the moment an admin deactivates it, and refuses its logins', async () => {
    const agent = await staffMember(app, 'agent');
    const agentClient = new StaffClient(app.url);
    await agentClient.login(agent.email, PASSWORD);
    expect((await agentClient.get('/staff/queue')).status).toBe(200);
    const admin = new StaffClient(app.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    await admin.get('/staff/admin/users');
    expect((await admin.post(`/staff/admin/users/${agent.id}`, { role: 'agent', languages: ['fr'] })).status).toBe(303); // "active" unticked
    expect((await agentClient.get('/staff/queue')).location).toBe('/staff/login');
    expect((await new StaffClient(app.url).login(agent.email, PASSWORD)).status).toBe(401);
  });

  it('stores passwords only as argon2id hashes and records the first admin in the audit log', async () => {
    const handle = app.app.get<DatabaseHandle>(DATABASE_HANDLE);
    const rows = await handle.rows<{ password_hash: string }>(sql`select password_hash from staff_users`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.password_hash).toMatch(/^\$argon2id\$/);
    const dump = JSON.stringify(await handle.rows(sql`select * from staff_users`));
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(ADMIN_PASSWORD);
    const [first] = await handle.rows<{ n: number }>(sql`select count(*)::int as n from staff_audit_log where action = 'first_admin_created'`);
    expect(Number(first.n)).toBe(1);
  });

  it('serves the BullMQ board to admins only', async () => {
    const admin = new StaffClient(app.url);
    await admin.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const board = await admin.send('GET', '/staff/queues');
    expect(board.status).toBe(200);
    expect(board.text).toContain('<base href="/staff/queues/"');
    const queues = await admin.send('GET', '/staff/queues/api/queues');
    expect(queues.status).toBe(200);
    expect(queues.json<{ queues: Array<{ name: string }> }>().queues.map((q) => q.name)).toContain('callbacks');
    expect((await admin.send('PUT', '/staff/queues/api/queues/callbacks/pause', '{}', 'application/json', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);

    const supervisor = await staffMember(app, 'supervisor');
    const sup = new StaffClient(app.url);
    await sup.login(supervisor.email, PASSWORD);
    expect((await sup.send('GET', '/staff/queues')).status).toBe(403);
    expect((await sup.send('GET', '/staff/queues/api/queues')).status).toBe(403);
    expect((await new StaffClient(app.url).send('GET', '/staff/queues')).location).toBe('/staff/login');
  });

  it('publishes an OpenAPI document whose paths are the registered API routes, with the roles of docs/staff-roles.md', async () => {
    const doc = (await new StaffClient(app.url).send('GET', '/staff/api/openapi.json')).json<{ openapi: string; paths: Record<string, Record<string, { 'x-roles': string[] | 'public' }>> }>();
    expect(doc.openapi).toBe('3.1.0');
    const table = readFileSync(join(ROOT, 'docs/staff-roles.md'), 'utf8');
    const documented: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} /staff/api${path.replace('{id}', ':id')}`;
        documented.push(route);
        const row = new RegExp(`^\\| ${route.replace(' ', ' \\| ')} \\| (yes|no) \\| (yes|no) \\| (yes|no) \\| (yes|no) \\| (yes|no) \\|$`, 'm').exec(table);
        expect(row).not.toBeNull();
        const roles = row![1] === 'yes' ? 'public' : ['agent', 'supervisor', 'admin', 'translator'].filter((_, i) => row![i + 2] === 'yes');
        expect([route, op['x-roles']]).toEqual([route, roles]);
      }
    }
    const express = app.app.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } };
    const registered = express.router.stack
      .filter((l) => l.route?.path.startsWith('/staff/api/'))
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`));
    expect(documented.sort()).toEqual(registered.sort());
  });
});
