/** Injection token of the `Clock`: the shell reads time only through it, so tests can move time. */
export const CLOCK = Symbol('CLOCK');

export interface Clock {
  /** epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current = Date.UTC(2025, 0, 1, 9, 0, 0)) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
