import type { Logger } from '@nestjs/common';

/** What a repair task listens to: the shared Redis client's `ready` (it came back after a loss). */
interface ReadyEmitter {
  on(event: 'ready', listener: () => void): unknown;
  off(event: 'ready', listener: () => void): unknown;
}

export interface RepairTaskOptions<T> {
  /** named in the log line of a failed run. */
  what: string;
  redis: ReadyEmitter;
  intervalMs: number;
  /** the work; a throw is logged and waits for the next trigger. */
  run: (reason: string) => Promise<T>;
  /** on each interval: whether to run now (default: always). A throw means not now. */
  due?: () => Promise<boolean>;
  /** the reason of an interval run (default 'periodic'). */
  periodicReason?: string;
  log: Logger;
}

/**
 * Work that puts Redis back in step with PostgreSQL (re-creating callback jobs, re-queueing lost
 * replies): run at start-up, whenever Redis is ready again after a loss, and on an interval; one run at
 * a time (a trigger during a run joins it); never throws (Redis or PostgreSQL down: the next trigger
 * tries again). The interval does not hold the process open.
 */
export class RepairTask<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T | undefined>;
  private readonly onReady = () => void this.now('redis reconnected');

  constructor(private readonly options: RepairTaskOptions<T>) {}

  async start(): Promise<void> {
    await this.now('start-up');
    this.options.redis.on('ready', this.onReady);
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.options.redis.off('ready', this.onReady);
    await this.running;
  }

  now(reason: string): Promise<T | undefined> {
    this.running ??= (async () => {
      try {
        return await this.options.run(reason);
      } catch (err) {
        this.options.log.warn(`${this.options.what} failed (${reason}): ${err instanceof Error ? err.name : 'error'}`);
        return undefined;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async tick(): Promise<void> {
    const due = this.options.due ? await this.options.due().catch(() => false) : true;
    if (due) await this.now(this.options.periodicReason ?? 'periodic');
  }
}
