import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { signSmsGatewayBody } from '../../src/channels/sms-gateway/sms-gateway-signature';

/** One `POST /message` as the fake phone received it. */
export interface FakeRelayMessage {
  id: string;
  text: string;
  phoneNumbers: string[];
  simNumber?: number;
  deviceId?: string;
  withDeliveryReport?: boolean;
  /** whether Basic auth matched the phone's credentials. */
  authorized: boolean;
  at: number;
}

export type FakeRelayFailure = { kind: 'status'; status: number; retryAfterSeconds?: number } | { kind: 'hang' } | { kind: 'reset' };

export interface RelayWebhookOptions {
  /** the signing key to sign with (default: the phone's). */
  signingKey?: string;
  /** X-Timestamp, Unix seconds (default: now). */
  timestamp?: number;
  /** the X-Signature to send instead of a correct one; null: none. */
  signature?: string | null;
  /** the exact body to send (default: JSON of the envelope). */
  rawBody?: string;
}

/**
 * A local stand-in for one phone running "SMS Gateway for Android": a real HTTP server on 127.0.0.1
 * answering the app's `POST /message` (Basic auth) like its local server does, recording every call
 * and failing on demand — and the phone's side of the webhooks: events posted to the app over real
 * HTTP, signed the app's way (HMAC-SHA256 of body + X-Timestamp).
 */
export class FakeSmsGatewayPhone {
  readonly messages: FakeRelayMessage[] = [];
  readonly attempts: FakeRelayMessage[] = [];
  private readonly failures: FakeRelayFailure[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  constructor(
    readonly username: string,
    readonly password: string,
    readonly signingKey: string,
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

  failNext(...failures: FakeRelayFailure[]): void {
    this.failures.push(...failures);
  }

  /** Texts accepted for one number, in order. */
  textsTo(to: string, simNumber?: number): string[] {
    return this.messages.filter((m) => m.phoneNumbers.includes(to) && (simNumber === undefined || m.simNumber === simNumber)).map((m) => m.text);
  }

  /** Posts one webhook event to `url` as the phone would; returns the app's answer. */
  async webhook(url: string, event: string, payload: unknown, options: RelayWebhookOptions = {}) {
    const body = options.rawBody ?? JSON.stringify({ deviceId: 'ffffffffceb0b1db0000018e937c815b', event, id: randomBytes(10).toString('hex'), payload, webhookId: 'wh1' });
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = options.signature === undefined ? signSmsGatewayBody(options.signingKey ?? this.signingKey, body, timestamp) : options.signature;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Timestamp': timestamp, 'User-Agent': 'SMSGate/1.0' };
    if (signature !== null) headers['X-Signature'] = signature;
    const res = await fetch(url, { method: 'POST', headers, body });
    return { status: res.status, text: await res.text(), body };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !/\/message$/.test(req.url ?? '')) return json(res, 404, { message: 'not found' });
    let parsed: { id?: string; textMessage?: { text?: string }; phoneNumbers?: string[]; simNumber?: number; deviceId?: string; withDeliveryReport?: boolean };
    try {
      parsed = JSON.parse(await readBody(req));
    } catch {
      return json(res, 400, { message: 'invalid JSON' });
    }
    const message: FakeRelayMessage = {
      id: parsed.id ?? randomBytes(10).toString('hex'),
      text: parsed.textMessage?.text ?? '',
      phoneNumbers: parsed.phoneNumbers ?? [],
      simNumber: parsed.simNumber,
      deviceId: parsed.deviceId,
      withDeliveryReport: parsed.withDeliveryReport,
      authorized: req.headers.authorization === `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`,
      at: Date.now(),
    };
    this.attempts.push(message);
    if (!message.authorized) return json(res, 401, { message: 'Unauthorized' });
    const failure = this.failures.shift();
    if (failure?.kind === 'hang') return; // never answers: the client times out
    if (failure?.kind === 'reset') return void req.socket.destroy();
    if (failure?.kind === 'status') {
      if (failure.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(failure.retryAfterSeconds));
      return json(res, failure.status, { message: 'fake failure' });
    }
    if (!message.text || message.phoneNumbers.length === 0) return json(res, 400, { message: 'text and phoneNumbers are required' });
    this.messages.push(message);
    json(res, 202, { id: message.id, state: 'Pending', recipients: message.phoneNumbers.map((phoneNumber) => ({ phoneNumber, state: 'Pending' })) });
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
