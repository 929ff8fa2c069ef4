import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '../test/support/service-process';

/**
 * A TCP proxy in front of Redis that counts round trips: each burst of bytes a client writes before
 * Redis answers it is one trip (a pipeline or a MULTI sent at once is one; commands sent one after the
 * other, each awaited, are one each). Counting on the wire sees every client the service has (its
 * node-redis client and BullMQ's ioredis connections) without touching its code.
 */
export interface CountingProxy {
  url: string;
  /** round trips since the proxy started. */
  trips(): number;
  /** with BENCH_TRIPS_LOG=1: the command names of each trip (never their arguments: keys hold no number, values may). */
  log(): string[];
  stop(): Promise<void>;
}

export async function startCountingProxy(target: { host: string; port: number }): Promise<CountingProxy> {
  let trips = 0;
  const log: string[] | undefined = process.env.BENCH_TRIPS_LOG ? [] : undefined;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    // a trip starts with the first bytes after Redis last answered on this connection
    let awaitingAnswer = false;
    client.on('data', (chunk) => {
      if (!awaitingAnswer) {
        trips++;
        if (log) log.push(commandsOf(chunk));
      }
      awaitingAnswer = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      awaitingAnswer = false;
      client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `redis://127.0.0.1:${port}`,
    trips: () => trips,
    log: () => log ?? [],
    stop: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  };
}

/** The command names in a RESP chunk (arrays of bulk strings): the first word of each command. */
function commandsOf(chunk: Buffer): string {
  const names: string[] = [];
  const text = chunk.toString('latin1');
  const re = /\*\d+\r\n\$\d+\r\n([A-Za-z]+)\r\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) names.push(m[1]!.toUpperCase());
  return names.join(' ');
}
