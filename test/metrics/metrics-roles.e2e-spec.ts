import { randomBytes } from 'node:crypto';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { createTestDatabase, deleteRedisPrefix, malianNumber, SERVICE_NUMBER, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { PUBLIC_BASE_URL, textAndWait, type RunningSmsApp } from '../sms/twilio-test.harness';
import { ensureBuilt, startService, type RunningService } from '../support/service-process';
import { scrape, valueOf, type Exposition } from './prometheus-text';

jest.setTimeout(180_000);

const TOKEN = randomBytes(32).toString('hex');

/**
 * With SIRA_ROLE each process is scraped on its own port: the compiled service as a web and a worker
 * process on one PostgreSQL and one Redis. The worker serves /metrics beside /health (and nothing
 * else); the gauges read at scrape time are the same from both; each says which part it is.
 */
describe('GET /metrics from a web and a worker process (SIRA_ROLE)', () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const prefix = testPrefix('metroles');
  let db: { url: string; drop(): Promise<void> };
  let web: RunningService;
  let worker: RunningService;

  beforeAll(async () => {
    ensureBuilt();
    await fake.start();
    db = await createTestDatabase('metroles');
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      SIMULATOR_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      TWILIO_FROM: SERVICE_NUMBER,
      TWILIO_API_BASE_URL: fake.url,
      SMS_SEGMENTS_PER_SECOND: '50',
      METRICS_TOKEN: TOKEN,
    };
    // the web process first: it runs the migrations; the worker then shares its database
    web = await startService({ ...env, SIRA_ROLE: 'web' });
    worker = await startService({ ...env, SIRA_ROLE: 'worker' });
  });

  afterAll(async () => {
    await worker?.stop();
    await web?.stop();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('scrapes each process; the queue and open-request gauges agree; counters are each process\'s own', async () => {
    // she asks for an urgent callback through the web process; the worker sends the replies
    const her = malianNumber();
    const app = { url: web.url } as RunningSmsApp;
    for (const body of ['Bonjour', '1', 'il me frappe', '1', '1']) await textAndWait(app, fake, her, body);

    const [fromWeb, fromWorker] = (await Promise.all([scrape(web.url, TOKEN), scrape(worker.url, TOKEN)])).map((res) => {
      expect(res.status).toBe(200);
      return res.exposition!;
    }) as [Exposition, Exposition];
    expect(valueOf(fromWeb, 'sira_process_info', { role: 'web' })).toBe(1);
    expect(valueOf(fromWorker, 'sira_process_info', { role: 'worker' })).toBe(1);

    // read from PostgreSQL and Redis at scrape time: the same from either process
    const scraped = (e: Exposition) =>
      e.samples.filter((s) => ['sira_queue_jobs', 'sira_callback_open'].includes(s.name)).map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`).sort();
    expect(scraped(fromWorker)).toEqual(scraped(fromWeb));
    expect(valueOf(fromWeb, 'sira_callback_open', { urgency: 'urgent' })).toBe(1);

    // the web process took the webhooks, the worker sent the replies: sum over both for the service
    expect(valueOf(fromWeb, 'sira_webhook_duration_seconds_count', { channel: 'twilio_sms' })).toBe(5);
    expect(valueOf(fromWorker, 'sira_webhook_duration_seconds_count', { channel: 'twilio_sms' }) ?? 0).toBe(0);
    expect(valueOf(fromWorker, 'sira_outbound_total', { channel: 'sms', outcome: 'sent' })).toBe(fake.bodiesTo(her).length);
    expect(valueOf(fromWeb, 'sira_outbound_total', { channel: 'sms', outcome: 'sent' }) ?? 0).toBe(0);

    // the worker still serves nothing else, and /metrics still wants the token there
    expect((await fetch(`${worker.url}/webhooks/twilio/sms`, { method: 'POST' })).status).toBe(404);
    expect((await scrape(worker.url, null)).status).toBe(401);
  });
});
