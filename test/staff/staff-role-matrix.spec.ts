/**
 * Every staff route × every role, against the running application: the routes really registered under
 * /staff must be exactly the rows of docs/staff-roles.md, and each answers 403 exactly where the table
 * says "no" (signed out: 401 for the API, a redirect to the login page for pages).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/service-process';
import { createTestDatabase, deleteRedisPrefix, testPrefix } from '../sms/sms-test.helpers';
import { PASSWORD, staffMember } from './staff-fixtures';
import { StaffClient, startStaffApp, type StaffApp } from './staff-harness';

jest.setTimeout(180_000);

const COLUMNS = ['public', 'agent', 'supervisor', 'admin', 'translator'] as const;
type Column = (typeof COLUMNS)[number];
interface Row {
  method: string;
  path: string;
  allowed: Record<Column, boolean>;
}

/** The table of docs/staff-roles.md, as data. */
function matrix(): Row[] {
  const doc = readFileSync(join(ROOT, 'docs/staff-roles.md'), 'utf8');
  const header = /^\| method \| path \| (.+) \|$/m.exec(doc);
  expect(header?.[1].split(' | ')).toEqual([...COLUMNS]);
  const cells = COLUMNS.map(() => '(yes|no)').join(' \\| ');
  return [...doc.matchAll(new RegExp(`^\\| (GET|POST|PATCH|DELETE|PUT) \\| (\\/staff\\S*) \\| ${cells} \\|$`, 'gm'))].map((m) => ({
    method: m[1],
    path: m[2],
    allowed: Object.fromEntries(COLUMNS.map((c, i) => [c, m[3 + i] === 'yes'])) as Record<Column, boolean>,
  }));
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every route Nest registered on the Express app under /staff ("METHOD path"). */
function registeredRoutes(app: StaffApp): string[] {
  const express = app.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
  return express.router.stack
    .filter((l) => l.route?.path.startsWith('/staff'))
    .flatMap((l) => Object.keys(l.route!.methods).filter((m) => m !== '_all').map((m) => `${m.toUpperCase()} ${l.route!.path}`));
}

/** Login routes answer wrong credentials with 401 themselves: for them only a 403 means "refused". */
const LOGINS = new Set(['POST /staff/login', 'POST /staff/api/session']);

/** Logging out ends the session the rest of the matrix uses: those rows run last. */
const LOGOUTS = new Set(['POST /staff/logout', 'DELETE /staff/api/session']);

describe('staff routes × roles (docs/staff-roles.md)', () => {
  const prefix = testPrefix('staffroles');
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: StaffApp;
  const rows = matrix();

  beforeAll(async () => {
    db = await createTestDatabase('staffroles');
    app = await startStaffApp(prefix, db.url);
  });

  afterAll(async () => {
    await app?.close();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('documents exactly the routes the application registers', () => {
    const documented = rows.filter((r) => r.path !== '/staff/queues').map((r) => `${r.method} ${r.path}`);
    expect(rows.length).toBeGreaterThan(30);
    expect(registeredRoutes(app).sort()).toEqual(documented.sort());
  });

  async function clientFor(column: Column): Promise<StaffClient> {
    const client = new StaffClient(app.url);
    if (column === 'public') {
      client.csrf = (await client.api('GET', '/session')).json<{ csrfToken: string }>().csrfToken;
      return client;
    }
    const user = await staffMember(app, column);
    expect((await client.apiLogin(user.email, PASSWORD)).status).toBe(200);
    return client;
  }

  it.each(COLUMNS)('answers every route as the table says, as %s', async (column) => {
    const client = await clientFor(column);
    const ordered = [...rows].sort((a, b) => Number(LOGOUTS.has(`${a.method} ${a.path}`)) - Number(LOGOUTS.has(`${b.method} ${b.path}`)));
    const wrong: string[] = [];
    for (const row of ordered) {
      // every account is made with the languages ['fr']: a translator's own language (admins: every language)
      const path = row.path.replace(':id', randomUUID()).replace(':lng', 'fr');
      const api = path.startsWith('/staff/api/');
      const reply = api
        ? await client.api(row.method, path.slice('/staff/api'.length), row.method === 'GET' ? undefined : {})
        : row.method === 'GET'
          ? await client.send('GET', path)
          : await client.post(path, {});
      const login = LOGINS.has(`${row.method} ${row.path}`);
      const deniedSignedOut = !login && (reply.status === 401 || (reply.status === 303 && reply.location === '/staff/login'));
      const denied = column === 'public' ? deniedSignedOut || reply.status === 403 : reply.status === 403;
      if (row.allowed[column] === denied) wrong.push(`${row.method} ${row.path} → ${reply.status} (expected ${row.allowed[column] ? 'allowed' : 'refused'})`);
      if (!row.allowed[column] && column === 'public' && !deniedSignedOut) wrong.push(`${row.method} ${row.path} → ${reply.status} (signed out: expected 401 or the login page)`);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a state-changing call without the CSRF token, even for an admin', async () => {
    const admin = await clientFor('admin');
    const token = admin.csrf;
    admin.csrf = '';
    expect((await admin.api('POST', '/queue/take-next')).status).toBe(403);
    expect((await admin.post('/staff/queue/take-next', { _csrf: 'forged' })).status).toBe(403);
    admin.csrf = token;
    expect((await admin.api('POST', '/queue/take-next')).status).toBe(200);
  });
});
