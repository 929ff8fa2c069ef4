import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the fake provider that holds every request for `delayMs` before
 * passing it on, and says how many it holds: a worker can then be killed while a send is in flight.
 * Like a real provider, a request that has left the service is passed on even if the caller died.
 * With `holdUntilReleased`, a request waits for `release()` instead: a scenario that is slow to look
 * (a busy machine) still finds the send in flight, and no other send slips through meanwhile.
 */
export class SlowProxy {
  inFlight = 0;
  private server?: Server;
  url = '';
  private held?: Array<() => void>;

  constructor(
    private readonly target: string,
    public delayMs: number,
  ) {}

  /** how many requests wait for `release()` (each one's sender is mid-send). */
  get holding(): number {
    return this.held?.length ?? 0;
  }

  /** From now on every request is held until `release()`. */
  holdUntilReleased(): void {
    this.held ??= [];
  }

  /** Passes on the requests held so far; `andStopHolding`: later ones only wait `delayMs` again. */
  release(andStopHolding = false): void {
    const waiting = this.held ?? [];
    if (andStopHolding) this.held = undefined;
    else if (this.held) this.held = [];
    for (const passOn of waiting) passOn();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.pass(req).then(({ status, headers, body }) => {
      if (res.destroyed) return;
      res.writeHead(status, headers);
      res.end(body);
    }, () => res.destroy()));
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((done) => this.server?.close(() => done()) ?? done());
  }

  private async pass(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.inFlight++;
    try {
      await new Promise<void>((passOn) => (this.held ? this.held.push(passOn) : setTimeout(passOn, this.delayMs)));
      return await forward(`${this.target}${req.url ?? '/'}`, req, Buffer.concat(chunks));
    } finally {
      this.inFlight--;
    }
  }
}

function forward(url: string, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((done, fail) => {
    const headers = { ...req.headers } as Record<string, string>;
    const out = request(url, { method: req.method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 502, headers: { 'content-type': res.headers['content-type'] ?? 'application/json' }, body: Buffer.concat(parts) }));
    });
    out.on('error', fail);
    out.end(body);
  });
}
