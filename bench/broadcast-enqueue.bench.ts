import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Database } from '../src/db/open-database';
import { FakeTwilioServer } from '../test/fakes/fake-twilio.server';
import { TEST_REDIS_URL } from '../test/conversations/redis-test.helper';
import { createTestDatabase, deleteRedisPrefix, SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../test/sms/sms-test.helpers';
import { ensureBuilt } from '../test/support/service-process';
import { median, type Figure } from './bench-table';

/**
 * Issue 26's scale goal: preparing and enqueuing one broadcast to BENCH_BROADCAST_SUBSCRIBERS (100,000)
 * subscribers, seeded in a database of its own, in ≤ 60 s with ≤ 300 MB RSS, streaming from PostgreSQL;
 * and the staff pages stay responsive: p99 of GET /staff/queue during the enqueue, as a ratio to idle.
 * The whole service runs in this process (Twilio at a local fake, SMS paced so slowly that nothing but the
 * enqueue runs): the RSS is the service's and the bench's together, an upper bound.
 */
const SEED_BATCH = 1_000;
const ADMIN_EMAIL = 'bench-admin@sira.test';
const ADMIN_PASSWORD = 'bench-admin-password-1234';

/** The shell's classes from the compiled build (as in-process.bench.ts: Nest needs the emitted decorator metadata). */
function fromBuild<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(process.cwd(), 'dist', 'src', path)) as T;
}

/** A signed-in staff browser: cookies and the CSRF token of the login page, nothing else. */
class StaffPages {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async send(method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1));
    }
    return { status: res.status, text: await res.text() };
  }

  async login(email: string, password: string): Promise<void> {
    const page = await this.send('GET', '/staff/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const reply = await this.send('POST', '/staff/login', new URLSearchParams({ _csrf: csrf, email, password }).toString());
    if (reply.status !== 303) throw new Error(`staff login answered ${reply.status}`);
  }
}

/** The whole service from the build, in this process, Twilio at a local fake, on a free loopback port. */
async function startService() {
  const { loadConfig } = fromBuild<typeof import('../src/config/config')>('config/config');
  const { AppModule } = fromBuild<typeof import('../src/app.module')>('app.module');
  const { configureHttp } = fromBuild<typeof import('../src/http.setup')>('http.setup');
  const twilio = await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
  const database = await createTestDatabase('bench_broadcast');
  const prefix = testPrefix('bench_broadcast');
  const config = loadConfig({
    NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_PREFIX: prefix, REDIS_URL: TEST_REDIS_URL, DATABASE_URL: database.url, DATA_DIR: '/nonexistent-sira-bench',
    SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'), SIMULATOR_ENABLED: 'false',
    PUBLIC_BASE_URL: 'https://sira.example.org', TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: SERVICE_NUMBER, TWILIO_API_BASE_URL: twilio.url,
    STAFF_ADMIN_EMAIL: ADMIN_EMAIL, STAFF_ADMIN_PASSWORD: ADMIN_PASSWORD, STAFF_2FA_REQUIRED_ROLES: 'none',
    // every hour is a broadcast hour; the SMS worker sends one message per 100 s: the enqueue runs alone
    BROADCAST_HOURS: '00:00-24:00', BROADCAST_DAILY_SEGMENTS: '10000000', BROADCAST_ONE_WAY_LINES: 'none', SMS_SEGMENTS_PER_SECOND: '0.01',
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await twilio.stop();
      await deleteRedisPrefix(prefix);
      await database.drop();
    },
  };
}

async function seed(db: Database, cipher: { encrypt(text: string, context: string): { token: string; kid: string } }, n: number): Promise<void> {
  const base = 70_000_000 + Math.floor(Math.random() * 1_000_000);
  for (let start = 0; start < n; start += SEED_BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + SEED_BATCH); i++) {
      const id = randomUUID();
      const { token, kid } = cipher.encrypt(`+223${base + i}`, `contacts:${id}`);
      rows.push(sql`(${id}::uuid, 'sms', ${randomBytes(16).toString('hex')}, ${token}, ${kid}, ${i % 5 === 0 ? 'bm' : i % 7 === 0 ? 'en' : 'fr'}, 'given', 'bench', now(), 'bench')`);
    }
    await db.execute(sql`with c as (
      insert into contacts (id, channel, address_index, address_enc, address_key_id, language, consent_state, consent_version, consent_at, source)
      values ${sql.join(rows, sql`, `)} returning id)
      insert into subscriptions (contact_id, topic, consent_version, expires_at) select id, 'reparations', 'bench', now() + interval '180 days' from c`);
  }
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

/** GET /staff/queue one after another until `until` says stop (at most `max`); the latencies in ms. */
async function pageLatencies(client: StaffPages, until: () => boolean, max: number): Promise<number[]> {
  const out: number[] = [];
  while (!until() && out.length < max) {
    const t = performance.now();
    const reply = await client.send('GET', '/staff/queue');
    if (reply.status !== 200) throw new Error(`/staff/queue answered ${reply.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

export async function broadcastFigures(subscribers = Number(process.env.BENCH_BROADCAST_SUBSCRIBERS ?? 100_000), log: (s: string) => void = () => undefined): Promise<Figure[]> {
  ensureBuilt();
  const { BroadcastSender } = fromBuild<typeof import('../src/broadcasts/broadcast.sender')>('broadcasts/broadcast.sender');
  const { BroadcastsRepository } = fromBuild<typeof import('../src/broadcasts/broadcasts.repository')>('broadcasts/broadcasts.repository');
  const { AddressCipher } = fromBuild<typeof import('../src/crypto/address-cipher')>('crypto/address-cipher');
  const { DATABASE } = fromBuild<typeof import('../src/db/database.module')>('db/database.module');
  const app = await startService();
  try {
    const db = app.app.get<Database>(DATABASE);
    log(`broadcast: seeding ${subscribers} subscribers`);
    await seed(db, app.app.get(AddressCipher), subscribers);
    await db.execute(sql`analyze contacts; analyze subscriptions`);
    const staff = new StaffPages(app.url);
    await staff.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const idle = await pageLatencies(staff, () => false, 200);
    const repo = app.app.get(BroadcastsRepository);
    // drafted by the first admin and approved at once: the enqueue is what is measured
    const { rows } = (await db.execute(sql`select id from staff_users limit 1`)) as unknown as { rows: { id: string }[] };
    const drafted = await repo.create({ topic: 'reparations', notice: { fr: 'Sira : du nouveau pour vous. Répondez INFO.' }, noticeOneWay: null, news: { fr: 'Bench.' }, source: 'bench', sendAt: null }, rows[0]!.id);
    await repo.approve(drafted.id, drafted.createdBy!, true, { fr: 'reviewed' }, new Date());
    global.gc?.();
    let rss = process.memoryUsage().rss;
    const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 100);
    let done = false;
    log('broadcast: preparing and enqueuing');
    const started = performance.now();
    const during = pageLatencies(staff, () => done, 100_000);
    const outcome = await app.app.get(BroadcastSender).run(drafted.id);
    const seconds = (performance.now() - started) / 1000;
    done = true;
    clearInterval(sampler);
    const busy = await during;
    const report = await repo.report(drafted.id);
    const queued = report.filter((r) => r.state === 'queued').reduce((n, r) => n + r.count, 0);
    const rssMb = rss / 1024 / 1024;
    const idleP99 = p99(idle);
    const busyP99 = p99(busy);
    const note = `${subscribers} subscribers seeded in their own database, ${queued} notices queued (outcome ${outcome.outcome}) in ${seconds.toFixed(1)} s; /staff/queue p50 idle ${median(idle).toFixed(1)} ms, during ${median(busy).toFixed(1)} ms over ${busy.length} requests; RSS of the whole in-process service and bench`;
    return [
      { name: `broadcast prepare+enqueue (s, ${subscribers} subscribers)`, ours: seconds.toFixed(1), baseline: '60', ratio: seconds / 60, target: '≤ 60 s', met: seconds <= 60, note, row: { name: 'broadcast-enqueue-seconds', value: seconds, baseline: 60, ratio: seconds / 60, goal: '<= 60 s', met: seconds <= 60 } },
      { name: 'broadcast enqueue peak RSS (MB)', ours: rssMb.toFixed(0), baseline: '300', ratio: rssMb / 300, target: '≤ 300 MB', met: rssMb <= 300, row: { name: 'broadcast-enqueue-rss-mb', value: rssMb, baseline: 300, ratio: rssMb / 300, goal: '<= 300 MB', met: rssMb <= 300 } },
      { name: 'GET /staff/queue p99 during the enqueue ÷ idle (ms)', ours: busyP99.toFixed(1), baseline: idleP99.toFixed(1), ratio: busyP99 / idleP99, target: 'reported', met: 'n/a', row: { name: 'broadcast-staff-queue-p99-ratio', value: busyP99, baseline: idleP99, ratio: busyP99 / idleP99, goal: 'reported (no target in the issue)', met: true } },
    ];
  } finally {
    await app.close();
  }
}

// run on its own: `node --expose-gc --import tsx bench/broadcast-enqueue.bench.ts`
if (require.main === module) {
  broadcastFigures(undefined, (s) => console.error(s)).then(
    (figures) => {
      console.log(JSON.stringify(figures, null, 2));
      mkdirSync(join(__dirname, 'results'), { recursive: true });
      writeFileSync(join(__dirname, 'results', 'broadcast-enqueue.json'), `${JSON.stringify({ at: new Date().toISOString(), figures }, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
