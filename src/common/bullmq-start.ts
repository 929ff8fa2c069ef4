import type { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { bullConnection, type BullConnection } from './bullmq-connection';

/** What a BullMQ queue and worker share: a start that can be awaited, and a close. */
interface Startable {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/** A started queue or worker, with its own Redis client; `close` closes both, in that order. */
export interface Started<T> {
  readonly item: T;
  close(): Promise<void>;
}

/** How many builds a queue or worker gets, how long each may take to start, and the wait between them. */
export interface StartPolicy {
  attempts: number;
  readyTimeoutMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
}
export const START_POLICY: StartPolicy = { attempts: 8, readyTimeoutMs: 10_000, firstDelayMs: 250, maxDelayMs: 5_000 };

/** A start that neither succeeded nor failed in time (Redis unreachable: node-redis keeps reconnecting). */
class StartTimeoutError extends Error {
  override name = 'StartTimeoutError';
}

/**
 * Builds a BullMQ queue (or worker) on a Redis client of its own and waits until it has started; builds
 * both again if the start failed or took longer than `readyTimeoutMs`.
 *
 * Why: BullMQ starts a connection once, when the object is built (it reads the server's INFO), and keeps
 * that start's promise for good. If the one INFO fails — Redis busy, or this process's event loop held
 * past node-redis's 5 s command timeout — every later call of that object rejects at once: a queue can
 * never add a job again, and a worker's fetch loop spins on the rejection at 100 % CPU, starving the
 * whole process (seen: the fuzz run held the loop 10 s while drawing its cases, just after start-up).
 * A failed attempt's client is dropped with it, never reused: BullMQ leaves its listeners on a client it
 * was given, and an orphaned one turns the client's next error into an uncaught exception.
 * After `policy.attempts` failed builds this rejects, and start-up fails loudly, naming `what`.
 */
export async function startedBullmq<T extends Startable>(
  what: string,
  redisUrl: string,
  build: (connection: never) => T,
  log: Logger,
  policy: StartPolicy = START_POLICY,
): Promise<Started<T>> {
  for (let attempt = 1; ; attempt++) {
    const redis = bullConnection(redisUrl);
    const item = await built(redis, build);
    const failure = await readyWithin(item, policy.readyTimeoutMs);
    if (!failure) return { item, close: () => closeBoth(item, redis) };
    // the client first: a start still waiting on an unreachable Redis would hold the object's close
    redis.destroy();
    await Promise.race([item.close().catch(() => undefined), sleep(policy.readyTimeoutMs)]);
    if (attempt >= policy.attempts) throw new Error(`${what} could not start after ${attempt} attempts (${errorName(failure)})`);
    log.warn(`${what} did not start (${errorName(failure)}): building it again`);
    await sleep(Math.min(policy.firstDelayMs * 2 ** (attempt - 1), policy.maxDelayMs));
  }
}

/**
 * A worker built with `autorun: false`, started as above, then set running: its fetch loop only ever
 * runs on connections that have started.
 */
export async function startedWorker<W extends Worker>(what: string, redisUrl: string, build: (connection: never) => W, log: Logger, policy?: StartPolicy): Promise<Started<W>> {
  const notRunning = (connection: never) => {
    const worker = build(connection);
    if (worker.opts.autorun !== false) {
      void worker.close().catch(() => undefined);
      throw new Error(`${what} must be built with autorun: false`);
    }
    return worker;
  };
  const started = await startedBullmq(what, redisUrl, notRunning, log, policy);
  started.item.run().catch((err: unknown) => log.warn(`${what} stopped (${errorName(err)})`));
  return started;
}

/** The object built on the client; a build that throws closes the client it was given. */
async function built<T>(redis: BullConnection, build: (connection: never) => T): Promise<T> {
  try {
    return build(redis.connection);
  } catch (err) {
    await redis.close();
    throw err;
  }
}

/** undefined once started; otherwise why not (its error, or a StartTimeoutError). */
async function readyWithin(item: Startable, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new StartTimeoutError(`not started within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([item.waitUntilReady().then(() => undefined, (err: unknown) => err ?? new Error('start failed')), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function closeBoth(item: Startable, redis: BullConnection): Promise<void> {
  await item.close().catch(() => undefined);
  await redis.close();
}

/** node-redis's TimeoutError keeps the name "Error": its class says more (and names no one). */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return 'error';
  return err.name === 'Error' && err.constructor.name ? err.constructor.name : err.name;
}
