import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback TCP proxy that holds what the client sends for `delayMs` before passing it on (answers come
 * back at once): in front of PostgreSQL it makes every query of one process slow, so that process can be
 * killed while it is in the middle of a turn. Order within a connection is kept.
 */
export class SlowTcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetPort: number,
    public delayMs: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => this.server?.close(() => done()) ?? done());
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    let tail = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      tail = tail.then(() => new Promise<void>((done) => setTimeout(() => {
        if (!upstream.destroyed) upstream.write(chunk);
        done();
      }, this.delayMs)));
    });
    upstream.on('data', (chunk: Buffer) => !client.destroyed && client.write(chunk));
    client.on('close', () => void tail.then(() => upstream.destroy()));
    upstream.on('close', () => client.destroy());
  }
}
