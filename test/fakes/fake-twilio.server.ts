import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One Messages.json call as the fake received it. */
export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  /** whether Basic auth matched the configured account and token. */
  authorized: boolean;
  at: number;
}

/** How the fake answers the next send: a failure with a status (and Twilio error code), a hang, a reset. */
export type FakeTwilioFailure =
  | { kind: 'status'; status: number; code?: number; retryAfterSeconds?: number; message?: string }
  | { kind: 'hang' }
  | { kind: 'reset' };

/**
 * A local stand-in for Twilio's REST API (`TWILIO_API_BASE_URL`): a real HTTP server on 127.0.0.1
 * that answers `POST /2010-04-01/Accounts/{sid}/Messages.json` like Twilio, records every call
 * (accepted or not) and fails on demand.
 */
export class FakeTwilioServer {
  /** messages accepted (answered 201). */
  readonly messages: FakeTwilioMessage[] = [];
  /** every Messages.json call, including those answered with a failure. */
  readonly attempts: FakeTwilioMessage[] = [];
  /** SIDs whose body was redacted (POST Messages/{sid}.json with an empty Body), in call order. */
  readonly redactions: string[] = [];
  /** messages she sent (the test records them as Twilio would have), listable by From. */
  readonly inbound: { sid: string; from: string; to: string; body: string }[] = [];
  private readonly failures: FakeTwilioFailure[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  constructor(
    private readonly accountSid: string,
    private readonly authToken: string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((done) => this.server!.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => this.server?.close(() => done()) ?? done());
  }

  /** The next sends fail this way, in order. */
  failNext(...failures: FakeTwilioFailure[]): void {
    this.failures.push(...failures);
  }

  /** Messages accepted for one number, bodies only. */
  bodiesTo(to: string): string[] {
    return this.messages.filter((m) => m.to === to).map((m) => m.body);
  }

  reset(): void {
    this.messages.length = 0;
    this.attempts.length = 0;
    this.failures.length = 0;
  }

  /** Twilio keeps a copy of what she sent; the test mirrors each inbound SMS here. */
  recordInbound(sid: string, from: string, to: string, body: string): void {
    this.inbound.push({ sid, from, to, body });
  }

  /** GET Messages.json?From= (list) and POST Messages/{sid}.json (update: redaction with Body=''). */
  private async handleMessage(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const one = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\/(SM[0-9a-f]{32})\.json$/i.exec(url.pathname);
    if (req.method === 'POST' && one) {
      const form = new URLSearchParams(await readBody(req));
      const sid = one[2]!;
      const found = this.messages.find((m) => m.sid === sid) ?? this.inbound.find((m) => m.sid === sid);
      if (!found) return json(res, 404, { code: 20404, message: `The requested resource /Messages/${sid}.json was not found`, status: 404 }), true;
      if (form.get('Body') !== '') return json(res, 400, { code: 21602, message: 'only redaction is supported', status: 400 }), true;
      found.body = '';
      this.redactions.push(sid);
      return json(res, 200, { sid, body: '', status: 'delivered', uri: url.pathname }), true;
    }
    if (req.method === 'GET' && /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/i.test(url.pathname)) {
      const from = url.searchParams.get('From');
      const rows = [...this.inbound, ...this.messages].filter((m) => from === null || m.from === from);
      const messages = rows.map((m) => ({ sid: m.sid, from: m.from, to: m.to, body: m.body, status: 'received' }));
      return json(res, 200, { messages, page: 0, page_size: 50, first_page_uri: url.pathname, next_page_uri: null, uri: url.pathname }), true;
    }
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (await this.handleMessage(req, res, new URL(req.url ?? '/', 'http://fake'))) return;
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/i.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const form = new URLSearchParams(await readBody(req));
    const message: FakeTwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid: match[1]!,
      to: form.get('To') ?? '',
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
      authorized: req.headers.authorization === `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`,
      at: Date.now(),
    };
    this.attempts.push(message);
    if (!message.authorized) return json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    const failure = this.failures.shift();
    if (failure?.kind === 'hang') return; // never answers: the client times out
    if (failure?.kind === 'reset') return void req.socket.destroy();
    if (failure?.kind === 'status') {
      if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
      return json(res, failure.status, { code: failure.code ?? failure.status, message: failure.message ?? 'fake failure', status: failure.status });
    }
    if (!message.to || !message.body) return json(res, 400, { code: 21602, message: 'Message body is required.', status: 400 });
    this.messages.push(message);
    json(res, 201, {
      sid: message.sid,
      account_sid: message.accountSid,
      to: message.to,
      from: message.from,
      body: message.body,
      status: 'queued',
      num_segments: '1',
      date_created: new Date().toUTCString(),
      uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`,
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => done(data));
    req.on('error', fail);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
