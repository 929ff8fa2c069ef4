import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { bullConnection } from '../../src/callbacks/bullmq-connection';
import { startedBullmq, startedWorker, type StartPolicy } from '../../src/callbacks/bullmq-start';
import { TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { deleteRedisPrefix, eventually, testPrefix } from '../sms/sms-test.helpers';

jest.setTimeout(60_000);

/** Longer than node-redis's 5 s command timeout: what a 10 s hold of the event loop did in the fuzz run. */
const HOLD_MS = 5_600;
const QUICK: StartPolicy = { attempts: 3, firstDelayMs: 50, maxDelayMs: 100 };

/** Holds this process's event loop, as a long synchronous task (or a paused VM) does. */
function holdEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

/**
 * A connected client: BullMQ's start then sends its INFO at once, and holding the loop on the next
 * turn makes that INFO outlive its timeout, as it did in the fuzz run.
 */
async function connectedBullConnection(connections: Array<ReturnType<typeof bullConnection>>) {
  const conn = bullConnection(TEST_REDIS_URL);
  connections.push(conn);
  await (conn.connection as unknown as { connect(): Promise<unknown> }).connect();
  return conn.connection;
}

/** Wraps a build: its first object's start is made to fail by holding the loop; counts the builds. */
function failingFirstBuild<T extends { on(event: 'error', listener: () => void): unknown }>(build: () => T): { build: () => T; builds(): number } {
  let builds = 0;
  return {
    builds: () => builds,
    build: () => {
      builds++;
      const built = build();
      built.on('error', () => undefined);
      if (builds === 1) setImmediate(() => holdEventLoop(HOLD_MS));
      return built;
    },
  };
}

describe('a BullMQ queue or worker whose start failed', () => {
  const prefix = testPrefix('bullmq_start');
  const log = new Logger('bullmq-start.spec');
  const connections: Array<ReturnType<typeof bullConnection>> = [];
  const opened: Array<{ close(): Promise<void> }> = [];

  afterAll(async () => {
    for (const item of opened) await item.close().catch(() => undefined);
    for (const c of connections) await c.close();
    await deleteRedisPrefix(prefix);
  });

  it('is built again when its first start outlived the command timeout, and the worker then takes jobs', async () => {
    const connection = await connectedBullConnection(connections);
    const workerConnection = await connectedBullConnection(connections);
    const done: string[] = [];
    const workers = failingFirstBuild(() => new Worker('held', async (job) => void done.push(job.name), { connection: workerConnection, prefix, autorun: false }));
    opened.push(await startedWorker('test worker', workers.build, log, QUICK));
    const queue = await startedBullmq('test queue', () => new Queue('held', { connection, prefix }), log, QUICK);
    opened.push(queue);

    await queue.add('first-job', {});
    await eventually(() => done.includes('first-job'), 10_000, 'the job taken by the rebuilt worker');
    expect(workers.builds()).toBe(2);
  });

  it('is built again for a queue too, and the queue then adds jobs', async () => {
    const connection = await connectedBullConnection(connections);
    const queues = failingFirstBuild(() => new Queue('held-queue', { connection, prefix }));
    const queue = await startedBullmq('test queue', queues.build, log, QUICK);
    opened.push(queue);
    const job = await queue.add('added', { n: 1 });
    expect(await queue.getJob(job.id!)).toBeDefined();
    expect(queues.builds()).toBe(2);
  });

  it('fails start-up, naming what could not start, once every attempt has failed', async () => {
    const connection = await connectedBullConnection(connections);
    const policy: StartPolicy = { attempts: 2, firstDelayMs: 10, maxDelayMs: 10 };
    let builds = 0;
    const build = () => {
      builds++;
      const q = new Queue('never', { connection, prefix });
      q.on('error', () => undefined);
      setImmediate(() => holdEventLoop(HOLD_MS));
      return q;
    };
    await expect(startedBullmq('the never queue', build, log, policy)).rejects.toThrow('the never queue could not start after 2 attempts (TimeoutError)');
    expect(builds).toBe(2);
  });

  it('refuses a worker built to run by itself, whose loop would start before it is known to have started', async () => {
    const connection = await connectedBullConnection(connections);
    const build = () => {
      const w = new Worker('autorun', async () => undefined, { connection, prefix });
      opened.push(w);
      return w;
    };
    await expect(startedWorker('an autorun worker', build, log, QUICK)).rejects.toThrow('an autorun worker must be built with autorun: false');
  });
});
