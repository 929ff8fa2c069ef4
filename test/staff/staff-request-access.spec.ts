/**
 * One access rule for every path to a callback request (src/staff/request-access.ts), against the running
 * application on the real PostgreSQL and Redis: an agent sees and acts only on requests in her call
 * languages (anything else answers 404, like an unknown id), claims only a request callable now (409
 * otherwise) unless a supervisor gave it to her, and reveals at most STAFF_REVEALS_PER_HOUR numbers an
 * hour (then 429, audited, and supervisors see it on the supervision page).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { REDIS, type RedisClient } from '../../src/redis/redis.module';
import type { StaffUser } from '../../src/staff/staff.types';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { PASSWORD, pendingRequest, staffMember } from './staff-fixtures';
import { StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(180_000);

type Item = { id: string; callLanguage: string; callableNow: boolean; claimedBy: string | null };

describe('one access rule for every path to a callback request', () => {
  const prefix = testPrefix('staffaccess');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let supervisor: StaffClient;

  beforeAll(async () => {
    db = await createTestDatabase('staffaccess');
    // the clock moves by hours here: sessions must outlive it; no second factor here; the first admin is not used
    app = await startStaffApp(prefix, db.url, {
      STAFF_SESSION_IDLE_MINUTES: '1440',
      STAFF_SESSION_MAX_HOURS: '168',
      STAFF_2FA_REQUIRED_ROLES: 'none',
      STAFF_ADMIN_EMAIL: 'first-admin@sira.test',
      STAFF_ADMIN_PASSWORD: 'correct-horse-battery-staple-7',
    });
    supervisor = await signedIn(await staffMember(app, 'supervisor', ['fr']));
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  async function signedIn(user: StaffUser): Promise<StaffClient> {
    const client = new StaffClient(app.url);
    expect((await client.apiLogin(user.email, PASSWORD)).status).toBe(200);
    return client;
  }

  const handle = () => app.app.get<DatabaseHandle>(DATABASE_HANDLE);

  it('an agent in bm cannot see, read, claim or reveal a French request (404, the same as an unknown one)', async () => {
    const french = await pendingRequest(app, { callLanguage: 'fr' });
    const bambara = await pendingRequest(app, { callLanguage: 'bm' });
    const bm = await signedIn(await staffMember(app, 'agent', ['bm']));

    // the queue, API and page, lists only her language
    const items = (await bm.api('GET', '/queue')).json<{ items: Item[] }>().items;
    expect(items.map((i) => i.id)).toContain(bambara.id);
    expect(items.map((i) => i.id)).not.toContain(french.id);
    expect(items.every((i) => i.callLanguage === 'bm')).toBe(true);
    const page = await bm.get('/staff/queue');
    expect(page.status).toBe(200);
    expect(page.text).toContain(bambara.refCode);
    expect(page.text).not.toContain(french.refCode);
    expect(page.text).not.toContain(french.id);

    // every path to the French request answers as an unknown id does
    const unknown = await bm.api('GET', `/requests/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    const read = await bm.api('GET', `/requests/${french.id}`);
    expect([read.status, read.json().message]).toEqual([404, unknown.json().message]);
    for (const action of ['claim', 'reveal', 'release']) expect([action, (await bm.api('POST', `/requests/${french.id}/${action}`)).status]).toEqual([action, 404]);
    expect((await bm.api('POST', `/requests/${french.id}/outcome`, { outcome: 'reached' })).status).toBe(404);
    expect((await bm.send('GET', `/staff/requests/${french.id}`)).status).toBe(404);
    for (const action of ['claim', 'reveal', 'release']) expect([action, (await bm.post(`/staff/requests/${french.id}/${action}`)).status]).toEqual([action, 404]);
    expect((await bm.post(`/staff/requests/${french.id}/outcome`, { outcome: 'reached' })).status).toBe(404);

    // nothing happened to it, and no number was shown
    const [row] = await handle().rows<{ status: string }>(sql`select status from callback_requests where id = ${french.id}`);
    expect(row.status).toBe('pending');
    const [reveals] = await handle().rows<{ n: number }>(sql`select count(*)::int as n from staff_audit_log where action = 'reveal' and request_id = ${french.id}`);
    expect(Number(reveals.n)).toBe(0);

    // her own language still works
    expect((await bm.api('POST', `/requests/${bambara.id}/claim`)).status).toBe(200);
    expect((await bm.api('POST', `/requests/${bambara.id}/reveal`)).status).toBe(200);
    expect((await bm.api('POST', `/requests/${bambara.id}/outcome`, { outcome: 'reached' })).status).toBe(200);
    // a supervisor still sees and reads every language
    expect((await supervisor.api('GET', '/queue')).json<{ items: Item[] }>().items.map((i) => i.id)).toContain(french.id);
    expect((await supervisor.api('GET', `/requests/${french.id}`)).status).toBe(200);
  });

  it('an agent cannot read another language’s outcome notes', async () => {
    const french = await pendingRequest(app, { callLanguage: 'fr' });
    const fr = await signedIn(await staffMember(app, 'agent', ['fr']));
    const note = `Rappeler après le marché ${randomUUID().slice(0, 8)}`;
    expect((await fr.api('POST', `/requests/${french.id}/claim`)).status).toBe(200);
    expect((await fr.api('POST', `/requests/${french.id}/outcome`, { outcome: 'no_answer', note })).status).toBe(200);

    const bm = await signedIn(await staffMember(app, 'agent', ['bm']));
    const read = await bm.api('GET', `/requests/${french.id}`);
    expect(read.status).toBe(404);
    expect(read.text).not.toContain(note);
    const page = await bm.send('GET', `/staff/requests/${french.id}`);
    expect(page.status).toBe(404);
    expect(page.text).not.toContain(note);

    // a colleague who calls in French, and a supervisor, do read it
    const colleague = await signedIn(await staffMember(app, 'agent', ['fr', 'bm']));
    expect((await colleague.api('GET', `/requests/${french.id}`)).text).toContain(note);
    expect((await supervisor.api('GET', `/requests/${french.id}`)).text).toContain(note);
  });

  it('the 21st reveal in an hour is refused with 429 and supervisors see the alert', async () => {
    expect(app.config.staff.revealsPerHour).toBe(20);
    const agent = await staffMember(app, 'agent', ['fr']);
    const client = await signedIn(agent);
    const req = await pendingRequest(app, { callLanguage: 'fr' });
    expect((await client.api('POST', `/requests/${req.id}/claim`)).status).toBe(200);
    for (let i = 1; i <= 20; i++) expect([i, (await client.api('POST', `/requests/${req.id}/reveal`)).status]).toEqual([i, 200]);

    const refused = await client.api('POST', `/requests/${req.id}/reveal`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.text).not.toMatch(/\+?223\d{8}/);
    expect(refused.json()).not.toHaveProperty('number');
    // the page refuses too, without the number
    await client.get(`/staff/requests/${req.id}`);
    const pageRefused = await client.post(`/staff/requests/${req.id}/reveal`);
    expect(pageRefused.status).toBe(429);
    expect(Number(pageRefused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(pageRefused.text).not.toMatch(/\+?223\d{8}/);

    // counted in Redis per account and hour, with an expiry; 20 reveals audited, refusals audited apart
    const redis = app.app.get<RedisClient>(REDIS);
    const keys: string[] = [];
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:staff:reveals:${agent.id}:*` })) keys.push(...batch);
    expect(keys).toHaveLength(1);
    expect(await redis.ttl(keys[0])).toBeGreaterThan(0);
    const counts = await handle().rows<{ action: string; n: number }>(
      sql`select action, count(*)::int as n from staff_audit_log where staff_id = ${agent.id} and action in ('reveal', 'reveal_limited') group by action order by action`,
    );
    expect(counts.map((c) => [c.action, Number(c.n)])).toEqual([['reveal', 20], ['reveal_limited', 2]]);
    const details = await handle().rows<{ detail: unknown }>(sql`select detail from staff_audit_log where action = 'reveal_limited'`);
    expect(JSON.stringify(details)).not.toMatch(/223\d{8}/);

    // another agent is not held back by her count
    const other = await signedIn(await staffMember(app, 'agent', ['fr']));
    const second = await pendingRequest(app, { callLanguage: 'fr' });
    expect((await other.api('POST', `/requests/${second.id}/claim`)).status).toBe(200);
    expect((await other.api('POST', `/requests/${second.id}/reveal`)).status).toBe(200);

    // supervisors see who reached the limit, and when
    const page = await supervisor.get('/staff/supervision');
    expect(page.status).toBe(200);
    const section = page.text.split('Limite d’affichage des numéros atteinte')[1];
    expect(section).toBeDefined();
    expect(section).toContain(agent.displayName);

    // the next hour she can reveal again
    app.clock.advance(retryAfter * 1000);
    expect((await client.api('POST', `/requests/${req.id}/reveal`)).status).toBe(200);
    await client.api('POST', `/requests/${req.id}/outcome`, { outcome: 'reached' });
    await other.api('POST', `/requests/${second.id}/outcome`, { outcome: 'reached' });
  });

  it('an agent cannot claim a request that is not callable now (409), but can act on one a supervisor assigned to her', async () => {
    app.clock.advance(Date.UTC(2026, 0, 15, 13, 0) - app.clock.now()); // Thursday 13:00: her mornings are over
    const later = await pendingRequest(app, { callLanguage: 'fr' });
    const agent = await staffMember(app, 'agent', ['fr']);
    const fr = await signedIn(agent);

    // she sees it in the queue (not callable now) but cannot take it, by the API or the page
    const item = (await fr.api('GET', '/queue')).json<{ items: Item[] }>().items.find((i) => i.id === later.id);
    expect(item).toMatchObject({ callableNow: false });
    const refused = await fr.api('POST', `/requests/${later.id}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.json<{ message: string }>().message).toMatch(/not callable now/);
    await fr.get(`/staff/requests/${later.id}`);
    expect((await fr.post(`/staff/requests/${later.id}/claim`)).status).toBe(409);
    expect((await fr.api('POST', `/requests/${later.id}/reveal`)).status).toBe(403);

    // a supervisor gives it to her: now she holds it and may act on it
    expect((await supervisor.api('POST', `/requests/${later.id}/reassign`, { to: agent.id })).json()).toMatchObject({ request: { status: 'claimed', claimedBy: agent.id } });
    expect((await fr.api('GET', `/requests/${later.id}`)).status).toBe(200);
    expect((await fr.api('POST', `/requests/${later.id}/claim`)).json()).toMatchObject({ request: { id: later.id, claimedBy: agent.id } });
    expect((await fr.api('POST', `/requests/${later.id}/reveal`)).status).toBe(200);
    expect((await fr.api('POST', `/requests/${later.id}/outcome`, { outcome: 'reached' })).json()).toMatchObject({ request: { status: 'completed' } });

    // a supervisor may still take a request outside its window, as before
    const another = await pendingRequest(app, { callLanguage: 'fr' });
    expect((await supervisor.api('POST', `/requests/${another.id}/claim`)).status).toBe(200);
    await supervisor.api('POST', `/requests/${another.id}/release`);
  });
});
