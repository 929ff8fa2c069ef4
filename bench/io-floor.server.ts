import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { createClient } from 'redis';

/**
 * A second baseline for the webhook figures, run as its own process: a bare `node:http` server that
 * makes, per request, the same durable round trips as the service's full path for one SMS turn — and
 * nothing else (no signature, no flow, no rendering, no encryption, no framework). What it reaches is a
 * ceiling no implementation of that path on this machine can pass, whatever its code.
 *
 * The trips, counted on the service under the bench's load (a pg and a node-redis counter, per turn):
 * Redis — de-dup claim (SET NX), her lock (SET NX PX), session and journal (MGET), the send guard (one
 * script), the reply's job (BullMQ `add`), session and journal saved (MULTI), done mark and journal
 * dropped (MULTI), the lock released (script), line memory and spool length (one pipelined trip);
 * PostgreSQL — her contact (by blind index), her open callback request, the reply's row (insert).
 *
 * argv: port, PostgreSQL URL, Redis URL, key prefix. Prints "ready" on IPC once it listens.
 */
const [port, databaseUrl, redisUrl, prefix] = process.argv.slice(2) as [string, string, string, string];
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const ADMIT = "local n = redis.call('incrby', KEYS[1], ARGV[1]) if n == tonumber(ARGV[1]) then redis.call('pexpire', KEYS[1], 86400000) end return n";

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(`create table if not exists floor_contacts (id uuid primary key, address_index text unique not null, language text)`);
  await pool.query(`create table if not exists floor_callbacks (id uuid primary key, contact_id uuid not null, status text not null)`);
  await pool.query(`create table if not exists floor_replies (id uuid primary key, contact_id uuid, status text not null, segments int, created_at timestamptz not null default now())`);
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const queueClient = createClient({ url: redisUrl });
  const queue = new Queue('floor-replies', { connection: queueClient as never, prefix });
  await queue.waitUntilReady();

  const turn = async (from: string, sid: string): Promise<void> => {
    const k = (name: string) => `${prefix}:${name}:${from}`;
    await redis.set(`${prefix}:dedup:${sid}`, 'pending', { NX: true, EX: 172_800 });
    const token = randomUUID();
    await redis.set(k('lock'), token, { NX: true, PX: 10_000 });
    await redis.mGet([k('session'), `${prefix}:journal:${sid}`]);
    let contact = (await pool.query({ name: 'floor-contact', text: 'select id, language from floor_contacts where address_index = $1', values: [from] })).rows[0] as { id: string } | undefined;
    if (!contact) {
      contact = { id: randomUUID() };
      await pool.query({ name: 'floor-contact-new', text: 'insert into floor_contacts (id, address_index) values ($1, $2) on conflict do nothing', values: [contact.id, from] });
    }
    await pool.query({ name: 'floor-callback', text: "select id from floor_callbacks where contact_id = $1 and status in ('pending', 'assigned')", values: [contact.id] });
    const rowId = randomUUID();
    await pool.query({ name: 'floor-reply', text: "insert into floor_replies (id, contact_id, status, segments) values ($1, $2, 'queued', 1) on conflict do nothing", values: [rowId, contact.id] });
    await redis.eval(ADMIT, { keys: [k('segments')], arguments: ['1'] });
    await queue.add('reply', { rowId, to: 'x'.repeat(120), message: 'y'.repeat(160) }, { jobId: `reply-${rowId}-1`, priority: 1, removeOnComplete: true });
    await redis.multi().set(k('session'), 'z'.repeat(400), { EX: 2_592_000 }).set(`${prefix}:journal:${sid}`, 'j'.repeat(300), { EX: 172_800 }).exec();
    await redis.multi().set(`${prefix}:dedup:${sid}`, 'done', { EX: 172_800 }).del(`${prefix}:journal:${sid}`).exec();
    await redis.eval(RELEASE, { keys: [k('lock')], arguments: [token] });
    await redis.multi().set(k('line'), '1', { EX: 86_400 }).lLen(`${prefix}:spool`).execAsPipeline();
  };

  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const from = form.get('From') ?? form.get('update_id') ?? 'unknown';
      turn(from, form.get('MessageSid') ?? randomUUID()).then(
        () => {
          res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
          res.end('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  }).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));

  process.on('SIGTERM', () => {
    void Promise.allSettled([queue.obliterate({ force: true }).then(() => queue.close()), pool.end()]).then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
