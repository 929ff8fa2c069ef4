/**
 * Aggregate insight, end to end: conversations in fr and bm by SMS and in en on Telegram through the
 * signed webhooks, a callback called by staff, then what the counters hold (PostgreSQL after the flush),
 * what the API, the page and the CSV publish (suppressed), that her erasure leaves the aggregates as they
 * were, and that no number, chat id or reference code is in any counter key, row or export.
 */
import { ManualClock } from '../../src/common/clock';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { InsightsFlush } from '../../src/insights/insights.flush';
import { insightCounts } from '../../src/insights/insights.schema';
import { REDIS, type RedisClient } from '../../src/redis/redis.module';
import { malianNumber } from '../sms/sms-test.helpers';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { textAndWait } from '../sms/twilio-test.harness';
import { ADMIN_EMAIL, ADMIN_PASSWORD, StaffClient, type StaffApp } from '../staff/staff-harness';
import { PASSWORD, pendingRequest, staffMember } from '../staff/staff-fixtures';
import { startApp, postTelegramUpdate, type TestApp } from '../support/app-harness';
import { eventually } from '../telegram/telegram-harness';
import { randomChatId, textUpdate } from '../telegram/telegram-updates';

jest.setTimeout(240_000);

/** Monday 12 January 2026, 10:00 in Bamako (UTC+0). */
const MONDAY = Date.UTC(2026, 0, 12, 10, 0);
const DAY = '2026-01-12';

describe('insights: counted at turn time, published suppressed, never a person', () => {
  const prefix = testPrefix('insights');
  const clock = new ManualClock(MONDAY);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  const numbers: string[] = [];
  const chats: number[] = [];
  let refCode = '';

  const flush = () => app.app.get(InsightsFlush).flushNow();
  const pg = () => app.app.get<Database>(DATABASE);
  const redis = () => app.app.get<RedisClient>(REDIS);
  const rows = async () => (await pg().select().from(insightCounts)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const count = async (where: Partial<Record<'metric' | 'flow' | 'node' | 'language' | 'channel' | 'day', string>>) =>
    (await rows()).filter((r) => Object.entries(where).every(([k, v]) => (r as Record<string, unknown>)[k] === v)).reduce((s, r) => s + r.count, 0);

  async function sms(language: '1' | '2', n: number): Promise<void> {
    await Promise.all(
      Array.from({ length: n }, async () => {
        const number = malianNumber();
        numbers.push(number);
        for (const body of ['Bonjour', language, '1']) await textAndWait(app as unknown as Parameters<typeof textAndWait>[0], app.twilio!, number, body);
      }),
    );
  }

  async function telegram(n: number, texts: string[]): Promise<void> {
    await Promise.all(
      Array.from({ length: n }, async () => {
        const chat = randomChatId();
        chats.push(chat);
        for (const text of texts) {
          const before = app.telegram!.callsOf('sendMessage', chat).length;
          expect((await postTelegramUpdate(app.url, textUpdate(chat, text))).status).toBe(200);
          await eventually(() => app.telegram!.callsOf('sendMessage', chat).length > before, 10_000, 'a Telegram reply');
        }
      }),
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase('insights');
    app = await startApp({
      prefix,
      databaseUrl: db.url,
      twilio: true,
      telegram: true,
      clock,
      env: { STAFF_ADMIN_EMAIL: ADMIN_EMAIL, STAFF_ADMIN_PASSWORD: ADMIN_PASSWORD, STAFF_2FA_REQUIRED_ROLES: 'none', STAFF_SESSION_IDLE_MINUTES: '1440', STAFF_SESSION_MAX_HOURS: '168' },
    });
    await sms('1', 12); // French, reparations
    await sms('2', 10); // Bambara, reparations
    await telegram(10, ['hello', '3', '1']); // English, reparations
    await telegram(2, ['hello']); // left at the language menu
    // a callback request, called by staff 90 minutes later (still in her morning window) and reached
    const staffApp = { ...app, clock } as unknown as StaffApp;
    const req = await pendingRequest(staffApp);
    refCode = req.refCode;
    const agent = await staffMember(staffApp, 'agent');
    const client = new StaffClient(app.url);
    await client.apiLogin(agent.email, PASSWORD);
    clock.advance(90 * 60_000);
    expect((await client.api('POST', `/requests/${req.id}/claim`)).status).toBe(200);
    expect((await client.api('POST', `/requests/${req.id}/outcome`, { outcome: 'reached' })).status).toBe(200);
    await eventually(async () => (await redis().hLen(`${prefix}:insights:pending`)) > 0 || (await flush()) !== undefined);
    await flush();
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('counts conversations, answers reached and distinct contacts per language and channel', async () => {
    expect(await count({ day: DAY, metric: 'conversation_started' })).toBe(34);
    expect(await count({ day: DAY, metric: 'node_reached', flow: 'reparations', node: 'overview', language: 'fr', channel: 'sms' })).toBe(12);
    expect(await count({ day: DAY, metric: 'node_reached', flow: 'reparations', node: 'overview', language: 'bm', channel: 'sms' })).toBe(10);
    expect(await count({ day: DAY, metric: 'node_reached', flow: 'reparations', node: 'overview', language: 'en', channel: 'telegram' })).toBe(10);
    expect(await count({ day: DAY, metric: 'flow_entered', flow: 'reparations' })).toBe(32);
    // distinct contacts: a HyperLogLog, exact at these sizes
    expect(await count({ day: DAY, metric: 'contacts', channel: 'sms' })).toBe(22) // the callback's contact never wrote;
    expect(await count({ day: DAY, metric: 'contacts', channel: 'telegram' })).toBe(12);
    // the callback: requested, called (reached) within 1 to 4 hours, closed completed
    expect(await count({ day: DAY, metric: 'callback_requested' })).toBe(1);
    expect((await rows()).find((r) => r.metric === 'callback_first_call')).toMatchObject({ topic: 'legal', detail: 'not_urgent.1h_4h', count: 1 });
    expect((await rows()).find((r) => r.metric === 'callback_closed')).toMatchObject({ detail: 'completed', count: 1 });
  });

  it('counts a menu as abandoned once 24 h passed without her answer, on the day it was shown', async () => {
    expect(await count({ metric: 'menu_abandoned' })).toBe(0);
    clock.advance(25 * 3_600_000);
    await flush();
    expect(await count({ day: DAY, metric: 'menu_abandoned', flow: 'reparations', node: 'reparations_menu' })).toBe(32);
    expect(await count({ day: DAY, metric: 'menu_abandoned', flow: 'language' })).toBe(2);
  });

  it('publishes through the API only what suppression allows, to supervisors and admins', async () => {
    clock.advance(2 * 86_400_000); // the day settled
    const admin = new StaffClient(app.url);
    await admin.apiLogin(ADMIN_EMAIL, ADMIN_PASSWORD);
    const reply = await admin.api('GET', `/insights?from=${DAY}&to=${DAY}&by=language`);
    expect(reply.status).toBe(200);
    const body = reply.json<{ minCell: number; cells: Array<Record<string, unknown>> }>();
    expect(body.minCell).toBe(10);
    const overview = body.cells.filter((c) => c.metric === 'node_reached');
    expect(overview.length).toBeGreaterThan(0);
    for (const c of body.cells) {
      if (c.suppressed) expect(c).not.toHaveProperty('count');
      else expect(c.count as number).toBeGreaterThanOrEqual(10);
    }
    // the single callback is never shown as a number
    expect(body.cells.filter((c) => c.metric === 'callback_requested').every((c) => c.suppressed)).toBe(true);
    // French: 12 entered the main menu, then reparations
    expect(body.cells.find((c) => c.metric === 'flow_entered' && c.language === 'fr')).toMatchObject({ day: DAY, count: 24 });
    expect(body.cells.find((c) => c.metric === 'conversation_started' && c.language === '')).toMatchObject({ day: DAY, count: 34 });

    expect((await admin.api('GET', '/insights?from=2026-02-30&to=2026-03-01')).status).toBe(400);
    expect((await admin.api('GET', '/insights?from=2026-02-30&to=2026-03-01')).text).toContain('from must be a calendar day written YYYY-MM-DD');
    expect((await admin.api('GET', `/insights?from=${DAY}&to=2026-01-01`)).status).toBe(400);
    const agent = new StaffClient(app.url);
    const member = await staffMember({ ...app, clock } as unknown as StaffApp, 'agent');
    await agent.apiLogin(member.email, PASSWORD);
    expect((await agent.api('GET', `/insights?from=${DAY}&to=${DAY}`)).status).toBe(403);
  });

  it('shows the page with server-drawn SVG charts, tables and CSV of the same suppressed cells', async () => {
    const supervisor = new StaffClient(app.url);
    const member = await staffMember({ ...app, clock } as unknown as StaffApp, 'supervisor');
    await supervisor.login(member.email, PASSWORD);
    const page = await supervisor.get(`/staff/insights?from=${DAY}&to=${DAY}&period=day`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<svg');
    expect(page.text).not.toContain('<script');
    expect(page.text).toContain('Questions les plus consultées');
    const csv = await supervisor.get(`/staff/insights/export.csv?from=${DAY}&to=${DAY}&period=day&table=languages`);
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n')[0]).toBe('period,metric,flow,node,language,channel,topic,detail,count');
    expect(csv.text).toContain(`${DAY},flow_entered,,,fr,,,,24`);
    expect(csv.text).toContain(`${DAY},flow_entered,,,bm,,,,20`);
  });

  it('keeps the aggregates as they were when she is erased (they hold no person)', async () => {
    const before = (await rows()).filter((r) => r.day === DAY);
    await textAndWait(app as unknown as Parameters<typeof textAndWait>[0], app.twilio!, numbers[0]!, 'EFFACER');
    await flush();
    expect((await rows()).filter((r) => r.day === DAY)).toEqual(before);
  });

  it('has no number, chat id or reference code in any counter key, row or export', async () => {
    const keys: string[] = [];
    for await (const batch of redis().scanIterator({ MATCH: `${prefix}:insights:*`, COUNT: 500 })) keys.push(...(Array.isArray(batch) ? batch : [batch]));
    const values: string[] = [];
    for (const k of keys) {
      const type = await redis().type(k);
      if (type === 'hash') values.push(...Object.keys(await redis().hGetAll(k)));
      if (type === 'zset') values.push(...(await redis().zRange(k, 0, -1)));
    }
    const admin = new StaffClient(app.url);
    await admin.apiLogin(ADMIN_EMAIL, ADMIN_PASSWORD);
    const exported = (await admin.api('GET', `/insights?from=${DAY}&to=${DAY}`)).text;
    const haystack = [...keys, ...values, JSON.stringify(await rows()), exported].join('\n');
    const canaries = [...numbers.flatMap((n) => [n, n.replace('+', ''), n.slice(-8)]), ...chats.map(String), refCode];
    for (const canary of canaries) expect(haystack).not.toContain(canary);
  });
});
