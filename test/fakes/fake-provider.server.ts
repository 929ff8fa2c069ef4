import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as a fake provider received it, its body read whole. */
export interface FakeRequest {
  method: string;
  /** the request target as sent (path and query). */
  path: string;
  /** the same, parsed. */
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** the body as a form (application/x-www-form-urlencoded). */
  form(): URLSearchParams;
  /** the body as JSON; throws on invalid JSON. */
  json<T = unknown>(): T;
  /** the parameters by content type: JSON or form fields; empty body → {}. */
  params(): Record<string, unknown>;
  /** whether the request carried Basic auth with these credentials. */
  hasBasicAuth(username: string, password: string): boolean;
}

/** The transport failures a fake can answer with instead of success: a status (and Retry-After), a hang, a reset. */
export type TransportFailure<Status extends object = object> =
  | ({ kind: 'status'; status: number; retryAfterSeconds?: number } & Status)
  | { kind: 'hang' }
  | { kind: 'reset' };

/**
 * The base of every fake provider (Twilio's REST API, the Telegram Bot API, the relay phone): a real
 * node:http server on 127.0.0.1 at a free port, started and stopped by the test, that reads each
 * request's body, records it in `requests` and hands it to the fake's `answer`.
 */
export abstract class FakeProviderServer {
  /** every request received, in order. */
  readonly requests: FakeRequest[] = [];
  /** http://127.0.0.1:port once started. */
  url = '';
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  /** Answers one request (after it was recorded). */
  protected abstract answer(req: FakeRequest, res: ServerResponse, raw: IncomingMessage): void | Promise<void>;

  async start(): Promise<this> {
    const server = createServer((raw, res) => void this.receive(raw, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  /** Closes the server, cutting every connection (a hanging request included). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  }

  /** Forgets the recorded requests. */
  reset(): void {
    this.requests.length = 0;
  }

  protected json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async receive(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const req = fakeRequest(raw, await readBody(raw));
    this.requests.push(req);
    await this.answer(req, res, raw);
  }
}

/**
 * A fake whose next answers can be queued failures, in order (Twilio's Messages.json, the relay phone's
 * POST /message): `failNext(...)`, then `answerFailure` where the fake would succeed.
 */
export abstract class FailingFakeProviderServer<F extends TransportFailure> extends FakeProviderServer {
  private readonly failures: F[] = [];

  /** The next answers fail this way, in order. */
  failNext(...failures: F[]): void {
    this.failures.push(...failures);
  }

  override reset(): void {
    super.reset();
    this.failures.length = 0;
  }

  /**
   * Takes the next queued failure and answers with it: a hang (never answers: the client times out), a
   * reset (the socket is destroyed), or `statusBody(failure)` with its status and Retry-After.
   * False when none is queued (the fake goes on to succeed).
   */
  protected answerFailure(raw: IncomingMessage, res: ServerResponse, statusBody: (failure: Extract<F, { kind: 'status' }>) => unknown): boolean {
    const failure = this.failures.shift();
    if (!failure) return false;
    if (failure.kind === 'reset') raw.socket.destroy();
    if (failure.kind === 'status') {
      const status = failure as Extract<F, { kind: 'status' }>;
      if (status.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(status.retryAfterSeconds));
      this.json(res, status.status, statusBody(status));
    }
    return true;
  }
}

function fakeRequest(raw: IncomingMessage, body: string): FakeRequest {
  const contentType = raw.headers['content-type'] ?? '';
  return {
    method: raw.method ?? 'GET',
    path: raw.url ?? '/',
    url: new URL(raw.url ?? '/', 'http://fake'),
    headers: raw.headers,
    body,
    at: Date.now(),
    form: () => new URLSearchParams(body),
    json: <T>() => JSON.parse(body) as T,
    params: () => {
      if (!body) return {};
      if (contentType.includes('json')) return JSON.parse(body) as Record<string, unknown>;
      return Object.fromEntries(new URLSearchParams(body));
    },
    hasBasicAuth: (username, password) => raw.headers.authorization === `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
