import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { startedBullmq, startedWorker, type StartPolicy, type Started } from '../../src/common/bullmq-start';
import { startOwnRedis, type OwnRedis } from '../callbacks/own-redis';
import { freePort } from '../support/service-process';
import { eventually, sleep } from '../sms/sms-test.helpers';

jest.setTimeout(60_000);

/** Longer than node-redis's 5 s command timeout: what a 10 s hold of the event loop did in the fuzz run. */
const HOLD_MS = 5_600;
const QUICK: StartPolicy = { attempts: 3, readyTimeoutMs: 10_000, firstDelayMs: 50, maxDelayMs: 100 };

/** Holds this process's event loop, as a long synchronous task (or a paused VM) does. */
function holdEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy on purpose
  }
}

/**
 * Wraps a build: the first object's start is made to fail, as it did in the fuzz run. Once its client
 * is ready, BullMQ sends its one INFO within the same turn of the loop; holding the loop on the next
 * turn makes that INFO outlive its timeout. Counts the builds.
 */
function failingFirstBuild<T extends { on(event: 'error', listener: () => void): unknown }>(build: (connection: never) => T): { build: (connection: never) => T; builds(): number } {
  let builds = 0;
  return {
    builds: () => builds,
    build: (connection: never) => {
      builds++;
      if (builds === 1) (connection as unknown as NodeJS.EventEmitter).once('ready', () => setImmediate(() => holdEventLoop(HOLD_MS)));
      const built = build(connection);
      built.on('error', () => undefined);
      return built;
    },
  };
}

describe('a BullMQ queue or worker whose start failed', () => {
  const log = new Logger('bullmq-start.spec');
  const opened: Array<Started<unknown>> = [];
  let redis: OwnRedis;

  beforeAll(async () => {
    redis = await startOwnRedis();
  });

  afterAll(async () => {
    for (const item of opened) await item.close();
    await redis?.dispose();
  });

  it('is built again when its first start outlived the command timeout; the worker takes jobs, and survives a Redis restart after', async () => {
    const done: string[] = [];
    const workers = failingFirstBuild((connection) => new Worker('held', async (job) => void done.push(job.name), { connection, prefix: 'p', autorun: false }));
    const worker = await startedWorker('test worker', redis.url, workers.build, log, QUICK);
    opened.push(worker);
    const queue = await startedBullmq('test queue', redis.url, (connection) => new Queue('held', { connection, prefix: 'p' }).on('error', () => undefined), log, QUICK);
    opened.push(queue);
    expect(workers.builds()).toBe(2);

    await queue.item.add('first-job', {});
    await eventually(() => done.includes('first-job'), 10_000, 'the job taken by the rebuilt worker');
    // the failed build's client went with it: its errors have no one left to hear them, and would throw
    await redis.stop();
    await sleep(1_000);
    await redis.start();
    await eventually(async () => (await queue.item.add('after-restart', {}).then(() => true).catch(() => false)), 20_000, 'the queue adding again');
    await eventually(() => done.includes('after-restart'), 20_000, 'a job taken after the restart');
  });

  it('is built again for a queue too, and the queue then adds jobs', async () => {
    const queues = failingFirstBuild((connection) => new Queue('held-queue', { connection, prefix: 'p' }));
    const queue = await startedBullmq('test queue', redis.url, queues.build, log, QUICK);
    opened.push(queue);
    const job = await queue.item.add('added', { n: 1 });
    expect(await queue.item.getJob(job.id!)).toBeDefined();
    expect(queues.builds()).toBe(2);
  });

  it('fails start-up, naming what could not start, once every attempt has failed', async () => {
    const policy: StartPolicy = { attempts: 2, readyTimeoutMs: 10_000, firstDelayMs: 10, maxDelayMs: 10 };
    let builds = 0;
    const build = (connection: never) => {
      builds++;
      (connection as unknown as NodeJS.EventEmitter).once('ready', () => setImmediate(() => holdEventLoop(HOLD_MS)));
      const q = new Queue('never', { connection, prefix: 'p' });
      q.on('error', () => undefined);
      return q;
    };
    await expect(startedBullmq('the never queue', redis.url, build, log, policy)).rejects.toThrow('the never queue could not start after 2 attempts (TimeoutError)');
    expect(builds).toBe(2);
  });

  it('fails start-up when Redis cannot be reached, instead of waiting for it for ever', async () => {
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const policy: StartPolicy = { attempts: 2, readyTimeoutMs: 500, firstDelayMs: 10, maxDelayMs: 10 };
    const build = (connection: never) => new Queue('unreachable', { connection, prefix: 'p' }).on('error', () => undefined);
    await expect(startedBullmq('the unreachable queue', nobody, build, log, policy)).rejects.toThrow('the unreachable queue could not start after 2 attempts (StartTimeoutError)');
  });

  it('refuses a worker built to run by itself, whose loop would start before it is known to have started', async () => {
    const build = (connection: never) => new Worker('autorun', async () => undefined, { connection, prefix: 'p' });
    await expect(startedWorker('an autorun worker', redis.url, build, log, QUICK)).rejects.toThrow('an autorun worker must be built with autorun: false');
  });
});
