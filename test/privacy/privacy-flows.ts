import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { isNotNull } from 'drizzle-orm';
import { AddressCipher } from '../../src/crypto/address-cipher';
import { DATABASE } from '../../src/db/database.module';
import type { Database } from '../../src/db/open-database';
import { ENCRYPTED_COLUMNS } from '../../src/privacy/key-rotation.service';
import { PrivacyJobName } from '../../src/privacy/privacy-jobs';
import { PrivacyQueue } from '../../src/privacy/privacy.queue';
import { connectRedis } from '../../src/redis/redis.module';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { eventually, sleep } from '../sms/sms-test.helpers';
import { textUpdate } from '../telegram/telegram-updates';
import type { PrivacyApp } from './privacy-harness';

const run = promisify(execFile);

/** A callback code as the confirmation shows it. */
export const CODE = /\b([A-HJKMNP-Z2-9]{6})\b/;

/** Sends one SMS and waits until the replies stop coming; returns them. */
export async function say(app: PrivacyApp, from: string, body: string): Promise<string[]> {
  const before = app.twilio.bodiesTo(from).length;
  if ((await app.sms(from, body)) !== 200) throw new Error('webhook refused the SMS');
  await eventually(() => app.twilio.bodiesTo(from).length > before, 10_000, `replies to an SMS`);
  return settle(() => app.twilio.bodiesTo(from), before);
}

/** Sends one Telegram text and waits until the replies stop coming. */
export async function tell(app: PrivacyApp, chat: number, text: string): Promise<string[]> {
  const sent = () => app.telegram.callsOf('sendMessage', chat).map((c) => String(c.params.text));
  const before = sent().length;
  if ((await app.update(textUpdate(chat, text))) !== 200) throw new Error('webhook refused the update');
  await eventually(() => sent().length > before, 10_000, 'replies to a Telegram message');
  return settle(sent, before);
}

async function settle(all: () => string[], before: number): Promise<string[]> {
  let count = -1;
  while (count !== all().length) {
    count = all().length;
    await sleep(250);
  }
  return all().slice(before);
}

/**
 * French, "talk to a person", consent, testimony, French, morning, weekdays, no voicemail, no SMS, then
 * "call this number" (SMS: her own) — returns her reference code.
 */
export async function smsCallback(app: PrivacyApp, her: string): Promise<string> {
  for (const body of ['Bonjour', '1', '3', '1', '2', '1', '1', '2', '1', '1']) await say(app, her, body);
  const confirmation = (await say(app, her, '1')).join('\n');
  const code = CODE.exec(confirmation)?.[1];
  if (!code) throw new Error('no callback code in the confirmation');
  return code;
}

/** The same on Telegram, typing the number to call (`number`, a local Malian number). */
export async function telegramCallback(app: PrivacyApp, chat: number, number: string): Promise<string> {
  for (const text of ['Bonjour', '1', '3', '1', '2', '1', '1', '2', '1', '1']) await tell(app, chat, text);
  const confirmation = (await tell(app, chat, number)).join('\n');
  const code = CODE.exec(confirmation)?.[1];
  if (!code) throw new Error('no callback code in the confirmation');
  return code;
}

/** Waits until no provider clean-up job is waiting, delayed or running (they are removed when done). */
export async function cleanUpsDone(app: PrivacyApp): Promise<void> {
  const queue = app.app.get(PrivacyQueue).queue;
  await eventually(async () => (await queue.getJobs(['waiting', 'delayed', 'active'])).every((j) => j.name !== PrivacyJobName.ForgetAtProviders), 15_000, 'provider clean-up');
}

/** Where a needle was found (one line per place), empty when nowhere. */
export interface ScanHits {
  logs: string[];
  database: string[];
  redis: string[];
}

/**
 * Looks for each needle in the captured log output, a pg_dump of the app's database, and every Redis
 * key and value under its prefix (which includes every BullMQ job kept: data, return values, failure
 * reasons and logs all live in those hashes and lists).
 */
export async function scanEverywhere(app: PrivacyApp, needles: readonly string[]): Promise<ScanHits> {
  const dump = (await run('pg_dump', ['--no-owner', '--inserts', '--data-only', app.databaseUrl], { maxBuffer: 64 << 20 })).stdout;
  const redisText = await redisContents(app.prefix);
  const logs = app.logs.text();
  const find = (text: string) => needles.filter((n) => text.includes(n));
  return { logs: find(logs), database: find(dump), redis: find(redisText) };
}

/**
 * Every secret stored encrypted in PostgreSQL, decrypted with the service's own key ring: a dump
 * shows only tokens, so "no number in the database" also means none of these is her number.
 */
export async function decryptedSecrets(app: PrivacyApp): Promise<string[]> {
  const db = app.app.get<Database>(DATABASE);
  const cipher = app.app.get(AddressCipher);
  const out: string[] = [];
  for (const col of ENCRYPTED_COLUMNS) {
    const rows = (await db.select({ id: col.id, enc: col.enc }).from(col.table).where(isNotNull(col.enc))) as { id: string; enc: string }[];
    for (const row of rows) out.push(cipher.decrypt(row.enc, col.context(row.id)));
  }
  return out;
}

/** Every key and value under the prefix, as text (strings, hashes, lists, sets, sorted sets, streams). */
export async function redisContents(prefix: string): Promise<string> {
  const redis = await connectRedis(TEST_REDIS_URL);
  const out: string[] = [];
  try {
    for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
      for (const key of batch) out.push(key, await valueOf(redis, key));
    }
  } finally {
    await redis.close();
  }
  return out.join('\n');
}

async function valueOf(redis: Awaited<ReturnType<typeof connectRedis>>, key: string): Promise<string> {
  switch (await redis.type(key)) {
    case 'string': return (await redis.get(key)) ?? '';
    case 'hash': return JSON.stringify(await redis.hGetAll(key));
    case 'list': return JSON.stringify(await redis.lRange(key, 0, -1));
    case 'set': return JSON.stringify(await redis.sMembers(key));
    case 'zset': return JSON.stringify(await redis.zRange(key, 0, -1));
    case 'stream': return JSON.stringify(await redis.xRange(key, '-', '+'));
    default: return '';
  }
}

/** The forms a Malian number can take in text: E.164, without '+', the 8 local digits. */
export function numberForms(e164: string): string[] {
  return [e164, e164.slice(1), e164.slice(4)];
}
