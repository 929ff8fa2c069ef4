import type { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a BullMQ queue and worker share: a start that can be awaited, and a close. */
interface Startable {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/** How many builds a queue or worker gets before start-up fails, and how long to wait between them. */
export interface StartPolicy {
  attempts: number;
  firstDelayMs: number;
  maxDelayMs: number;
}
export const START_POLICY: StartPolicy = { attempts: 8, firstDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Builds a BullMQ queue (or worker) and waits until it has started; builds it again if its start failed.
 *
 * Why: BullMQ starts a connection once, when the object is built (it reads the server's INFO), and keeps
 * that start's promise for good. If the one INFO fails — Redis busy, or this process's event loop held
 * past node-redis's 5 s command timeout — every later call of that object rejects at once: a queue can
 * never add a job again, and a worker's fetch loop spins on the rejection at 100 % CPU, starving the
 * whole process (seen: the fuzz run held the loop 10 s while drawing its cases, just after start-up).
 * A new object starts afresh; the node-redis clients it was given are not closed by BullMQ, so they serve
 * the new one. After `policy.attempts` failed builds this rejects, and start-up fails loudly.
 */
export async function startedBullmq<T extends Startable>(what: string, build: () => T, log: Logger, policy: StartPolicy = START_POLICY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const item = build();
    try {
      await item.waitUntilReady();
      return item;
    } catch (err) {
      await item.close().catch(() => undefined);
      if (attempt >= policy.attempts) throw new Error(`${what} could not start after ${attempt} attempts (${errorName(err)})`);
      log.warn(`${what} did not start (${errorName(err)}): building it again`);
      await sleep(Math.min(policy.firstDelayMs * 2 ** (attempt - 1), policy.maxDelayMs));
    }
  }
}

/**
 * A worker built with `autorun: false`, started as above, then set running: its fetch loop only ever
 * runs on connections that have started.
 */
export async function startedWorker<W extends Worker>(what: string, build: () => W, log: Logger, policy?: StartPolicy): Promise<W> {
  const notRunning = () => {
    const worker = build();
    if (worker.opts.autorun !== false) throw new Error(`${what} must be built with autorun: false`);
    return worker;
  };
  const worker = await startedBullmq(what, notRunning, log, policy);
  worker.run().catch((err: unknown) => log.warn(`${what} stopped (${errorName(err)})`));
  return worker;
}

/** node-redis's TimeoutError keeps the name "Error": its class says more (and names no one). */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return 'error';
  return err.name === 'Error' && err.constructor.name ? err.constructor.name : err.name;
}
