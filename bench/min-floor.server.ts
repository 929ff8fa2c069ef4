import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { createClient } from 'redis';

/**
 * The durable minimum of an SMS turn, as a bare `node:http` server in its own process (issue 28 §1): the
 * least any design that keeps de-duplication, per-contact order and durability must do per message, and
 * nothing else (no signature, flow, rendering, encryption, logging or framework):
 *
 * - Redis 1: one script that claims the message id, takes the contact's turn (lock) and loads her session
 *   (MULTI cannot claim conditionally);
 * - PostgreSQL 1: her contact (her opt-out);
 * - PostgreSQL 2: one multi-row insert of the reply records (at most once needs them before the send);
 * - Redis 2: one BullMQ add (kept apart: a MULTI of adds breaks after a Redis restart, docs/performance.md);
 * - Redis 3: one script that saves the session, marks the id done and gives the turn back.
 *
 * Compare bench/io-floor.server.ts (today's 9 Redis trips and 3 statements). argv: port, PostgreSQL URL,
 * Redis URL, key prefix. Sends "ready" on IPC once it listens.
 */
const [port, databaseUrl, redisUrl, prefix] = process.argv.slice(2) as [string, string, string, string];
const BEGIN = `
if not redis.call('SET', KEYS[1], 'lease', 'NX', 'PX', 10000) then return {'held'} end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', 10000) then return {'busy'} end
return {'ready', redis.call('GET', KEYS[3])}`;
const SAVE = `
redis.call('SET', KEYS[3], ARGV[2], 'PX', 2592000000)
redis.call('SET', KEYS[1], 'done', 'PX', 172800000)
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(`create table if not exists min_floor_contacts (id uuid primary key, address_index text unique not null, opted_out boolean not null default false)`);
  await pool.query(`create table if not exists min_floor_replies (id uuid primary key, contact_id uuid, status text not null, segments int, created_at timestamptz not null default now())`);
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  const queueClient = createClient({ url: redisUrl });
  const queue = new Queue('min-floor-replies', { connection: queueClient as never, prefix });
  await queue.waitUntilReady();

  const turn = async (from: string, sid: string): Promise<void> => {
    const keys = [`${prefix}:dedup:${sid}`, `${prefix}:lock:${from}`, `${prefix}:session:${from}`];
    const token = randomUUID();
    const begun = (await redis.eval(BEGIN, { keys, arguments: [token] })) as string[];
    if (begun[0] !== 'ready') return;
    let contact = (await pool.query({ name: 'min-contact', text: 'select id, opted_out from min_floor_contacts where address_index = $1', values: [from] })).rows[0] as { id: string } | undefined;
    if (!contact) {
      // a first message only (the bench's warm-up makes every sender known)
      contact = { id: randomUUID() };
      await pool.query({ name: 'min-contact-new', text: 'insert into min_floor_contacts (id, address_index) values ($1, $2) on conflict do nothing', values: [contact.id, from] });
    }
    const rowId = randomUUID();
    await pool.query({ name: 'min-replies', text: "insert into min_floor_replies (id, contact_id, status, segments) values ($1, $2, 'queued', 1) on conflict do nothing", values: [rowId, contact.id] });
    await queue.add('reply', { rowId, to: 'x'.repeat(120), message: 'y'.repeat(160) }, { jobId: `reply-${rowId}-1`, priority: 1, removeOnComplete: true });
    await redis.eval(SAVE, { keys, arguments: [token, 'z'.repeat(400)] });
  };

  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      // an SMS (Twilio form) or a Telegram update (JSON): the same turn, keyed by sender and message id
      const { from, sid } = (req.headers['content-type'] ?? '').includes('json') ? telegramKeys(body) : smsKeys(body);
      turn(from, sid).then(
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

function smsKeys(body: string): { from: string; sid: string } {
  const form = new URLSearchParams(body);
  return { from: form.get('From') ?? 'unknown', sid: form.get('MessageSid') ?? randomUUID() };
}

function telegramKeys(body: string): { from: string; sid: string } {
  const update = JSON.parse(body) as { update_id?: number; message?: { chat?: { id?: number } } };
  return { from: `tg${update.message?.chat?.id ?? 'unknown'}`, sid: `tg${update.update_id ?? randomUUID()}` };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
