/**
 * What staff record after a call, through the API and pages of the running application: every outcome
 * moves the request where the issue says, three unanswered calls close it, supervisors reassign and read
 * counts, waiting times and the audit log, and an export is audited.
 */
import { sql } from 'drizzle-orm';
import { CallbackJobName } from '../../src/callbacks/callback-jobs';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { CallbackProcessor } from '../../src/callbacks/callback.processor';
import { DATABASE_HANDLE } from '../../src/db/database.module';
import type { DatabaseHandle } from '../../src/db/open-database';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { PASSWORD, pendingRequest, staffMember } from './staff-fixtures';
import { StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(120_000);

describe('call outcomes, reassignment and supervision', () => {
  const prefix = testPrefix('staffout');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  let agent: StaffClient;
  let supervisor: StaffClient;
  let agentId: string;

  beforeAll(async () => {
    db = await createTestDatabase('staffout');
    app = await startStaffApp(prefix, db.url, { STAFF_SESSION_IDLE_MINUTES: '1440', STAFF_SESSION_MAX_HOURS: '168' });
    const [a, s] = [await staffMember(app, 'agent'), await staffMember(app, 'supervisor')];
    agentId = a.id;
    agent = new StaffClient(app.url);
    supervisor = new StaffClient(app.url);
    await agent.apiLogin(a.email, PASSWORD);
    await supervisor.apiLogin(s.email, PASSWORD);
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const requests = () => app.app.get(CallbackRequestsRepository);

  async function takeAndRecord(body: Record<string, string>) {
    const req = await pendingRequest(app);
    expect((await agent.api('POST', `/requests/${req.id}/claim`)).status).toBe(200);
    const reply = await agent.api('POST', `/requests/${req.id}/outcome`, body);
    return { req, reply };
  }

  it('closes a wrong number as unreachable and a request she asked to stop as cancelled', async () => {
    const wrong = await takeAndRecord({ outcome: 'wrong_number' });
    expect(wrong.reply.json()).toMatchObject({ request: { status: 'unreachable' }, smsQueued: false });
    const stop = await takeAndRecord({ outcome: 'asked_to_stop', note: 'Ne plus appeler' });
    expect(stop.reply.json()).toMatchObject({ request: { status: 'cancelled' } });
    expect((await requests().findById(stop.req.id))!.closedAt).not.toBeNull();
  });

  it('puts a rescheduled request back in the queue with the new safe time she gave', async () => {
    const { req, reply } = await takeAndRecord({ outcome: 'rescheduled', partOfDay: 'evening', days: 'weekend' });
    expect(reply.json()).toMatchObject({ request: { status: 'pending', windows: [{ days: [6, 7], fromMinute: 1020, toMinute: 1200 }], callableNow: false } });
    expect(await requests().findById(req.id)).toMatchObject({ status: 'pending', claimedBy: null, attempt: 1 });
    expect((await agent.api('POST', `/requests/${req.id}/outcome`, { outcome: 'reached' })).status).toBe(409); // not held any more
  });

  it('refuses an outcome it does not know, or a reschedule without a time, leaving the request held', async () => {
    const req = await pendingRequest(app);
    await agent.api('POST', `/requests/${req.id}/claim`);
    expect((await agent.api('POST', `/requests/${req.id}/outcome`, { outcome: 'gone' })).status).toBe(400);
    expect((await agent.api('POST', `/requests/${req.id}/outcome`, { outcome: 'rescheduled' })).status).toBe(400);
    expect((await requests().findById(req.id))?.status).toBe('claimed');
    await agent.api('POST', `/requests/${req.id}/release`);
  });

  it('closes a request as unreachable after the third unanswered call', async () => {
    const req = await pendingRequest(app);
    const processor = app.app.get(CallbackProcessor);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await agent.api('POST', `/requests/${req.id}/claim`)).status).toBe(200);
      const after = (await agent.api('POST', `/requests/${req.id}/outcome`, { outcome: 'no_answer' })).json<{ request: { status: string } }>();
      expect(after.request.status).toBe(attempt < 3 ? 'no_answer' : 'unreachable');
      if (attempt < 3) await processor.process({ name: CallbackJobName.Retry, data: { requestId: req.id, attempt } });
    }
    expect((await agent.api('POST', `/requests/${req.id}/reveal`)).status).toBe(409); // closed: no number any more
  });

  it('lets a supervisor reassign a held request, and the agent who lost it can no longer act on it', async () => {
    const req = await pendingRequest(app);
    const other = await staffMember(app, 'agent');
    await agent.api('POST', `/requests/${req.id}/claim`);
    expect((await agent.api('POST', `/requests/${req.id}/reassign`, { to: other.id })).status).toBe(403);
    expect((await supervisor.api('POST', `/requests/${req.id}/reassign`, { to: other.id })).json()).toMatchObject({ request: { status: 'claimed', claimedBy: other.id } });
    expect((await agent.api('POST', `/requests/${req.id}/reveal`)).status).toBe(403);
    expect((await supervisor.api('POST', `/requests/${req.id}/reveal`)).status).toBe(200); // supervisors may, audited
  });

  it('shows the neutral voicemail script only when she said a voicemail is safe', async () => {
    const safe = await pendingRequest(app, { voicemailSafe: true });
    const page = await agent.get(`/staff/requests/${safe.id}`);
    expect(page.text).toContain('Je vous rappelle comme convenu');
    expect(page.text).not.toContain('PAS DE MESSAGE VOCAL');
    for (const word of ['Sira', 'réparation', 'témoignage', 'violence', 'association']) expect(page.text.split('class="script"')[1].split('</div>')[0]).not.toContain(word);
  });

  it('gives supervisors counts and waiting times, agents a 403', async () => {
    app.clock.advance(45 * 60_000);
    const stats = (await supervisor.api('GET', '/stats')).json<{ byStatus: Record<string, number>; waiting: { total: number; oldestMinutes: number; byLanguage: Record<string, number> }; heldBy: unknown[] }>();
    expect(stats.byStatus).toMatchObject({ unreachable: 2, cancelled: 1 });
    expect(stats.waiting.total).toBeGreaterThanOrEqual(2);
    expect(stats.waiting.oldestMinutes).toBeGreaterThanOrEqual(45);
    expect(stats.waiting.byLanguage.fr).toBe(stats.waiting.total);
    expect(stats.heldBy).toHaveLength(1);
    expect((await agent.api('GET', '/stats')).status).toBe(403);
  });

  it('audits an export, which holds no number', async () => {
    const csv = await supervisor.send('GET', '/staff/export/requests.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\n')[0]).toBe('ref,topic,urgent,call_language,windows,status,attempt,created_at,waiting_minutes');
    expect(csv.text).not.toMatch(/\+223\d{8}/);
    const handle = app.app.get<DatabaseHandle>(DATABASE_HANDLE);
    const [row] = await handle.rows<{ n: number }>(sql`select count(*)::int as n from staff_audit_log where action = 'export'`);
    expect(Number(row.n)).toBe(1);
    const audit = (await supervisor.api('GET', '/audit?limit=500')).json<{ entries: Array<{ action: string; staffId: string }> }>();
    expect(audit.entries.filter((e) => e.action === 'reveal').length).toBeGreaterThanOrEqual(1);
    expect(audit.entries.some((e) => e.action === 'outcome' && e.staffId === agentId)).toBe(true);
  });
});
