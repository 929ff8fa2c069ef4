import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TWILIO_SMS_PATH } from '../../src/channels/twilio/twilio-webhook.paths';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { OUTBOUND_SWEEP_SETTINGS, OutboundSweep, type OutboundSweepSettings } from '../../src/outbound/outbound.sweep';
import { outboundAddressContext } from '../../src/outbound/outbound.types';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { startKillableRedis, type KillableRedis } from '../resilience/support/killable-redis';
import { createTestDatabase, eventually, malianNumber, sleep, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { inboundParams, postTwilio, type RunningSmsApp } from '../sms/twilio-test.harness';
import { startApp } from '../support/app-harness';

jest.setTimeout(120_000);

interface Row {
  id: string;
  contact_id: string | null;
  status: string;
  provider: string | null;
  line: string | null;
  address_enc: string | null;
  address_key_id: string | null;
  pending_message: unknown;
}

/**
 * A reply queued in `outbound_messages` whose BullMQ job Redis then loses (FLUSHALL of the test's own
 * redis-server, never the machine's) is still sent, once: the row kept her address (sealed to the row)
 * and the message until it settles, and the worker's sweep puts the job back. Once sent, the row holds
 * neither. Also: erasure leaves no address of hers in any outbound row once its answer has gone.
 */
describe('a queued reply survives Redis losing its jobs', () => {
  let redis: KillableRedis;
  let fake: FakeTwilioServer;
  let db: { url: string; drop(): Promise<void> };
  let pg: Client;
  const prefix = testPrefix('qflush');
  const keys = { SIRA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`, SIRA_BLIND_INDEX_KEY: randomBytes(32).toString('base64') };
  const sweep: OutboundSweepSettings = { idleMs: 0, intervalMs: 300, batch: 500 };
  const running: RunningSmsApp[] = [];

  async function start(role: 'web' | 'worker' | 'all'): Promise<RunningSmsApp> {
    const started = await startApp({ prefix, databaseUrl: db.url, redisUrl: redis.url, twilio: fake, role, env: keys, override: () => [[OUTBOUND_SWEEP_SETTINGS, sweep]] });
    running.push(started);
    return started;
  }

  async function stop(app: RunningSmsApp): Promise<void> {
    running.splice(running.indexOf(app), 1);
    await app.close();
  }

  const rows = async (where = 'true'): Promise<Row[]> => (await pg.query<Row>(`select * from outbound_messages where ${where} order by created_at, id`)).rows;

  async function text(app: RunningSmsApp, from: string, body: string): Promise<void> {
    const res = await postTwilio(app, TWILIO_SMS_PATH, inboundParams(from, body));
    expect(res.status).toBe(200);
  }

  /** Waits until the number of SMS she got stops changing, then returns them. */
  async function settled(to: string, atLeast: number): Promise<string[]> {
    await eventually(() => fake.bodiesTo(to).length >= atLeast, 20_000, `${atLeast} SMS to her`);
    await sleep(1_500); // several sweeps (every 300 ms) run meanwhile: none may send again
    return fake.bodiesTo(to);
  }

  beforeAll(async () => {
    redis = await startKillableRedis({ mode: 'plain' });
    fake = await new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN).start();
    db = await createTestDatabase('qflush');
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    for (const app of [...running]) await app.close().catch(() => undefined);
    await pg?.end().catch(() => undefined);
    await fake?.stop();
    await db?.drop().catch(() => undefined);
    await redis?.dispose();
  });

  it('queued before any worker runs, its job flushed away: sent exactly once when a worker starts, then the row forgets her address', async () => {
    const her = malianNumber();
    const web = await start('web');
    await text(web, her, 'Bonjour');
    await eventually(async () => (await rows("status = 'queued'")).length > 0, 10_000, 'queued replies');
    await sleep(300); // the turn's jobs are added right after its rows
    const queued = await rows("status = 'queued'");
    // the row keeps what its job carries: her address, sealed to this row, and the message
    const cipher = web.app.get(AddressCipher);
    for (const row of queued) {
      expect(row.address_enc).not.toBeNull();
      expect(row.address_key_id).toBe('k1');
      expect(row.pending_message).not.toBeNull();
      expect(cipher.decrypt(row.address_enc!, outboundAddressContext(row.id))).toBe(her);
      expect(row.address_enc).not.toContain(her.slice(1));
    }
    await stop(web);
    await redis.flushAll();
    expect(fake.bodiesTo(her)).toEqual([]);

    await start('worker');
    const got = await settled(her, queued.length);
    expect(got).toHaveLength(queued.length);
    expect(new Set(fake.messages.filter((m) => m.to === her).map((m) => m.body)).size).toBe(queued.length);
    for (const row of await rows(`id in (${queued.map((r) => `'${r.id}'`).join(',')})`)) {
      expect(row.status).toBe('sent');
      expect(row.provider).toBe('twilio');
      expect(row.line).toBe('twilio');
      expect(row.address_enc).toBeNull();
      expect(row.address_key_id).toBeNull();
      expect(row.pending_message).toBeNull();
    }
  });

  it('queued while Twilio is down (its retry waiting in Redis), the jobs flushed: sent exactly once when Twilio answers', async () => {
    for (const app of [...running]) await stop(app);
    const app = await start('all');
    const her = malianNumber();
    // Twilio refuses the first two sends clearly (503: never accepted): the row goes back to `queued`
    // and its retry waits in Redis, delayed
    const before = new Set((await rows()).map((r) => r.id));
    fake.failNext({ kind: 'status', status: 503 }, { kind: 'status', status: 503 });
    await text(app, her, 'Bonjour');
    await eventually(async () => (await rows("status = 'queued' and error_code is not null")).length > 0, 10_000, 'a row back to queued');
    await redis.flushAll();
    const got = await settled(her, 1);
    const mine = (await rows()).filter((r) => !before.has(r.id));
    expect(mine.length).toBeGreaterThan(0);
    // each of her replies was accepted by Twilio exactly once, and its row says so and forgot her address
    expect(got).toHaveLength(mine.length);
    expect(new Set(got).size).toBe(got.length);
    for (const row of mine) {
      expect(row.status).toBe('sent');
      expect(row.address_enc).toBeNull();
      expect(row.pending_message).toBeNull();
    }
  });

  it('a sweep finds nothing to put back while the jobs are there (no second job, no second send)', async () => {
    const sweeper = running.find((r) => r.config.role !== 'web')!.app.get(OutboundSweep);
    const report = await sweeper.sweepNow('test');
    expect(report).toEqual({ queued: 0, requeued: 0, orphaned: 0 });
  });

  it('a row left `sending` with no job long after its claim is never resent: it ends unknown and forgets her address', async () => {
    const app = running.find((r) => r.config.role !== 'web')!;
    const id = '00000000-0000-8000-8000-00000000d1ed';
    const { token, kid } = app.app.get(AddressCipher).encrypt(malianNumber(), outboundAddressContext(id));
    await pg.query(
      `insert into outbound_messages (id, channel, contact_id, kind, status, attempts, address_enc, address_key_id, pending_message, created_at, updated_at)
       values ($1, 'sms', null, 'reply', 'sending', 1, $2, $3, '{"message":"x"}', now() - interval '1 hour', now() - interval '1 hour')`,
      [id, token, kid],
    );
    const sent = fake.messages.length;
    expect(await app.app.get(OutboundSweep).sweepNow('test')).toEqual({ queued: 0, requeued: 0, orphaned: 1 });
    const [row] = await rows(`id = '${id}'`);
    expect(row).toMatchObject({ status: 'unknown', address_enc: null, pending_message: null });
    await sleep(500);
    expect(fake.messages.length).toBe(sent);
  });

  it('erasure: her queued rows go with her, and the answer to it forgets her address once sent', async () => {
    for (const app of [...running]) await stop(app);
    const web = await start('web');
    const her = malianNumber();
    await text(web, her, 'Bonjour');
    await eventually(async () => (await rows("status = 'queued' and contact_id is not null")).length > 0, 10_000, 'her queued replies');
    await text(web, her, 'EFFACER');
    await sleep(500);
    await text(web, her, '1');
    const cipher = web.app.get(AddressCipher);
    const hers = async () => (await rows('address_enc is not null')).filter((r) => cipher.decrypt(r.address_enc!, outboundAddressContext(r.id)) === her);
    // her contact is gone: no row of hers is left, only the answers to her erasure (no contact) keep her address
    await eventually(async () => (await hers()).length > 0 && (await hers()).every((r) => r.contact_id === null), 10_000, 'her rows erased');
    await stop(web);
    await start('worker');
    await eventually(async () => (await hers()).length === 0, 20_000, 'the answers sent');
    expect(await rows('address_enc is not null')).toEqual([]);
  });

  it('under load: 40 women texting at once, every job flushed, each still gets her replies exactly once', async () => {
    for (const app of [...running]) await stop(app);
    const web = await start('web');
    const women = Array.from({ length: 40 }, () => malianNumber());
    const before = new Set((await rows()).map((r) => r.id));
    await Promise.all(women.map((her) => text(web, her, 'Bonjour')));
    await Promise.all(women.map((her) => text(web, her, '1')));
    await sleep(500); // the last turns' jobs are added right after their rows
    const queued = (await rows("status = 'queued'")).filter((r) => !before.has(r.id));
    expect(queued.length).toBeGreaterThanOrEqual(2 * women.length);
    await stop(web);
    await redis.flushAll();
    await start('worker');
    await eventually(() => fake.messages.filter((m) => women.includes(m.to)).length >= queued.length, 60_000, 'every queued reply sent');
    await sleep(1_500); // sweeps keep running: none may send again
    const sent = fake.messages.filter((m) => women.includes(m.to));
    expect(sent).toHaveLength(queued.length);
    for (const her of women) expect(new Set(fake.bodiesTo(her)).size).toBe(fake.bodiesTo(her).length);
    expect((await rows(`id in (${queued.map((r) => `'${r.id}'`).join(',')})`)).every((r) => r.status === 'sent')).toBe(true);
  });
});
