import request from 'supertest';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase, type TestDatabase } from '../db/test-databases';
import { LogCapture, randomNumber, startInstance, testConfig, type Instance } from './conversation-harness';
import { openTestRedis, sleep, type TestRedis } from './redis-test.helper';
import type { Config } from '../../src/config/config';
import type { HandleResult } from '../../src/conversations/inbound-message';

jest.setTimeout(30_000);

let db: TestDatabase;
let t: TestRedis;
let config: Config;
let dbUrl: string;
const instances: Instance[] = [];

async function instance(options: Parameters<typeof startInstance>[1] = {}, cfg: Config = config): Promise<Instance> {
  const started = await startInstance(cfg, options);
  instances.push(started);
  return started;
}

const texts = (r: HandleResult) => r.outputs.map((o) => o.text);

beforeAll(async () => {
  db = await openTestDatabase('postgres', 'conv');
  t = await openTestRedis('conv');
  dbUrl = `${process.env.SIRA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'}/${await currentDatabase()}`;
  config = testConfig(t.prefix, dbUrl);
});

afterAll(async () => {
  for (const i of instances.splice(0)) await i.close().catch(() => undefined);
  await t.close();
  await db.dispose();
});

async function currentDatabase(): Promise<string> {
  const { sql } = await import('drizzle-orm');
  const [row] = await db.handle.rows<{ name: string }>(sql`select current_database() as name`);
  return row!.name;
}

describe('a conversation through the service', () => {
  it('keeps the session between messages: a new contact chooses a language, then sees the menu', async () => {
    const a = await instance();
    const from = randomNumber();
    const first = await a.sendSms(from, 'Bonjour');
    expect(first).toMatchObject({ status: 'processed', deliver: true });
    expect(texts(first)).toContain('language:prompt');
    const second = await a.sendSms(from, '1');
    expect(second.language).toBe('fr');
    expect(texts(second)).toContain('menu:prompt');
    expect((await a.contacts.findByAddress('sms', from))?.language).toBe('fr');
    expect(a.sms.sent.filter((s) => s.address === from)).toHaveLength(2);
  });

  it('handles a provider message id once even when five copies arrive at the same moment', async () => {
    const a = await instance();
    const from = randomNumber();
    const results = await Promise.all(Array.from({ length: 5 }, () => a.sendSms(from, 'Bonjour', 'SMdup5')));
    expect(results.filter((r) => r.status === 'processed')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate').every((r) => !r.deliver && r.outputs.length === 0)).toBe(true);
    expect(a.sms.sent.filter((s) => s.address === from)).toHaveLength(1);
    // and a redelivery a little later is still a duplicate (the id is now "done")
    expect((await a.sendSms(from, 'Bonjour', 'SMdup5')).status).toBe('duplicate');
  });

  it('answers the redelivery of a message whose replies could not be queued with the replies its first attempt owed', async () => {
    const a = await instance();
    const from = randomNumber();
    await a.sendSms(from, 'Bonjour');
    a.sms.before = async () => Promise.reject(new Error('queue unavailable'));
    await expect(a.sendSms(from, '1', 'SMfail1')).rejects.toThrow('queue unavailable');
    a.sms.before = async () => undefined;
    const redelivered = await a.sendSms(from, '1', 'SMfail1');
    expect(redelivered.status).toBe('processed');
    // "1" answered the language question: she gets the main menu, not what "1" means at the main menu
    expect(a.sms.sent.filter((s) => s.address === from).at(-1)?.outputs.map((o) => o.text)).toContain('menu:prompt');
    expect(a.sms.sent.filter((s) => s.address === from)).toHaveLength(2);
  });

  it('hands a redelivery to another instance, once the lease of a process that died mid-turn has run out, and answers it once', async () => {
    const doomed = await instance({ timings: { dedupLeaseMs: 400, lockLeaseMs: 400 } });
    const survivor = await instance();
    const from = randomNumber();
    // the first process loses Redis for good after its turn was saved, while its replies are being
    // queued: nothing it holds is released or renewed any more, exactly what a crash leaves behind.
    doomed.sms.before = async () => {
      doomed.redis.destroy();
    };
    await doomed.sendSms(from, 'Bonjour', 'SMcrash').catch(() => undefined);
    // the retry reaches the other instance while the dead one's lease still stands: it waits the lease
    // out instead of dropping the message as a duplicate, and hands over the saved turn's replies.
    const redelivered = await survivor.sendSms(from, 'Bonjour', 'SMcrash');
    expect(redelivered.status).toBe('processed');
    expect((await survivor.sendSms(from, 'Bonjour', 'SMcrash')).status).toBe('duplicate');
    const sent = survivor.sms.sent.filter((s) => s.address === from);
    expect(sent).toHaveLength(1);
    // the turn was not run a second time: her next answer is read at the language menu, as if nothing happened
    const next = await survivor.sendSms(from, '1');
    expect(next.events).toContain('language_changed');
  });

  it('keeps a slow message’s lease alive, so a redelivery meanwhile is still a duplicate', async () => {
    const slow = await instance({ timings: { dedupLeaseMs: 200 } });
    const other = await instance();
    const from = randomNumber();
    slow.sms.before = () => sleep(700);
    const first = slow.sendSms(from, 'Bonjour', 'SMslow');
    await sleep(450);
    expect((await other.sendSms(from, 'Bonjour', 'SMslow')).status).toBe('duplicate');
    expect((await first).status).toBe('processed');
  });

  it('runs two messages of one contact on two instances one after the other, the second seeing the first', async () => {
    const a = await instance();
    const b = await instance();
    const from = randomNumber();
    const finished: string[] = [];
    a.sms.before = () => sleep(300); // the first message is slow to queue its replies, lock held
    const first = a.sendSms(from, 'Bonjour').then((r) => (finished.push('first'), r));
    await sleep(60);
    const second = b.sendSms(from, '1').then((r) => (finished.push('second'), r));
    const [r1, r2] = await Promise.all([first, second]);
    expect(finished).toEqual(['first', 'second']);
    expect(texts(r1)).toContain('language:prompt');
    // had it run concurrently, "1" would have met no session and been greeted as a new contact
    expect(r2.events).toContain('language_changed');
    expect(texts(r2)).toContain('menu:prompt');
  });

  it('forgets the session after its TTL but remembers her language: she is not asked again', async () => {
    const a = await instance({ timings: { sessionTtlMs: 300 } });
    const from = randomNumber();
    await a.sendSms(from, 'Bonjour');
    await a.sendSms(from, '1');
    expect(await t.allKeys()).toEqual(expect.arrayContaining([expect.stringContaining(':session:')]));
    await sleep(450);
    const contact = await a.contacts.findByAddress('sms', from);
    expect(await a.redis.exists(t.keys.session(contact!.addressIndex))).toBe(0);
    const back = await a.sendSms(from, 'Bonjour');
    expect(texts(back)).toContain('menu:prompt');
    expect(texts(back)).not.toContain('language:prompt');
    expect(back.language).toBe('fr');
  });

  it('restarts at the menu after the engine’s idle expiry, moved by the injected clock', async () => {
    const clock = new ManualClock();
    const a = await instance({ clock });
    const from = randomNumber();
    await a.sendSms(from, 'Bonjour');
    await a.sendSms(from, '1');
    clock.advance(25 * 60 * 60 * 1000);
    const later = await a.sendSms(from, '1');
    expect(later.events).toContain('conversation_expired');
    expect(texts(later)).toContain('menu:prompt');
  });

  it('sends the STOP confirmation, then nothing until START', async () => {
    const a = await instance();
    const from = randomNumber();
    await a.sendSms(from, 'Bonjour');
    await a.sendSms(from, '1');
    const stop = await a.sendSms(from, 'STOP');
    expect(stop.deliver).toBe(true);
    expect(texts(stop)).toContain('privacy:stopped');
    expect((await a.contacts.findByAddress('sms', from))?.optedOut).toBe(true);
    const sentBefore = a.sms.sent.length;
    const ignored = await a.sendSms(from, 'Bonjour');
    expect(ignored).toMatchObject({ status: 'processed', deliver: false, outputs: [] });
    expect(a.sms.sent.length).toBe(sentBefore);
    const start = await a.sendSms(from, 'START');
    expect(start.deliver).toBe(true);
    expect(texts(start)).toContain('privacy:restarted');
    expect((await a.contacts.findByAddress('sms', from))?.optedOut).toBe(false);
  });

  it('erases her contact row and her session when she asks, and confirms it to her', async () => {
    const a = await instance();
    const from = randomNumber();
    await a.sendSms(from, 'Bonjour');
    await a.sendSms(from, '1');
    const index = (await a.contacts.findByAddress('sms', from))!.addressIndex;
    expect(await a.redis.exists(t.keys.session(index))).toBe(1);
    expect(texts(await a.sendSms(from, 'effacer'))).toContain('privacy:erase.prompt');
    const erased = await a.sendSms(from, '1');
    expect(erased.events).toContain('erase_requested');
    expect(texts(erased)).toContain('privacy:erased');
    expect(erased.deliver).toBe(true);
    expect(await a.contacts.findByAddress('sms', from)).toBeUndefined();
    expect(await a.redis.exists(t.keys.session(index))).toBe(0);
  });
});

describe('privacy of what is stored and logged', () => {
  const canaryNumber = '+22376543219';
  const canaryText = 'CANARYTEXT-q7w3 my secret story';

  it('never puts a number into a Redis key or value', async () => {
    const a = await instance();
    await a.sendSms(canaryNumber, 'Bonjour');
    await a.sendSms(canaryNumber, '1');
    await a.sendSms(canaryNumber, canaryText);
    const keys = await t.allKeys();
    expect(keys.length).toBeGreaterThan(0);
    const digits = canaryNumber.slice(1);
    expect(keys.filter((k) => k.includes(digits) || k.includes('76543219'))).toEqual([]);
    for (const key of keys) {
      if ((await a.redis.type(key)) !== 'string') continue;
      const value = (await a.redis.get(key)) ?? '';
      expect(value.includes('76543219') || value.includes('CANARYTEXT')).toBe(false);
    }
  });

  it('writes no number, chat id, message text, query value or secret header to the logs', async () => {
    const logs = new LogCapture();
    const a = await instance({ logs }, testConfig(t.prefix, dbUrl, 'trace'));
    await a.sendSms(canaryNumber, canaryText);
    await a.sendSms(canaryNumber, 'STOP');
    await request(a.app.getHttpServer())
      .post('/test-inbound?token=CANARYQUERY-5512')
      .set('Authorization', 'Bearer CANARYAUTH-1')
      .set('Cookie', 'sid=CANARYCOOKIE-2')
      .set('X-Twilio-Signature', 'CANARYSIG-3')
      .set('X-Telegram-Bot-Api-Secret-Token', 'CANARYTOKEN-4')
      .send({ id: 'SMlog1', from: '+22376543218', text: canaryText })
      .expect(200);
    await request(a.app.getHttpServer()).get('/health/live?who=CANARYQUERY-5512').expect(200);
    await request(a.app.getHttpServer()).get('/nowhere/22376543217').expect(404);
    const out = logs.text();
    expect(out).toContain('message handled');
    expect(out).toContain('request completed');
    expect(out).toContain('/test-inbound');
    for (const canary of ['7654321', 'CANARYTEXT', 'secret story', 'CANARYQUERY', 'CANARYAUTH', 'CANARYCOOKIE', 'CANARYSIG', 'CANARYTOKEN']) {
      expect({ canary, hits: out.split(canary).length - 1 }).toEqual({ canary, hits: 0 });
    }
  });
});

describe('health', () => {
  it('is live, and ready while Redis and the database answer', async () => {
    const a = await instance();
    await request(a.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    const ready = await request(a.app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' }, database: { status: 'up' } } });
  });

  it('answers 503 naming Redis when Redis is gone, without any URL or secret', async () => {
    const a = await instance();
    a.redis.destroy();
    await request(a.app.getHttpServer()).get('/health/live').expect(200);
    const ready = await request(a.app.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } }, info: { database: { status: 'up' } } });
    expect(JSON.stringify(ready.body)).not.toMatch(/redis:\/\/|postgres:\/\//);
  });
});
