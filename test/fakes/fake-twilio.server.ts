import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FailingFakeProviderServer, type FakeRequest, type TransportFailure } from './fake-provider.server';

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
export type FakeTwilioFailure = TransportFailure<{ code?: number; message?: string }>;

/**
 * A local stand-in for Twilio's REST API (`TWILIO_API_BASE_URL`): a real HTTP server on 127.0.0.1
 * that answers `POST /2010-04-01/Accounts/{sid}/Messages.json` like Twilio, records every call
 * (accepted or not) and fails on demand.
 */
export class FakeTwilioServer extends FailingFakeProviderServer<FakeTwilioFailure> {
  /** messages accepted (answered 201). */
  readonly messages: FakeTwilioMessage[] = [];
  /** every Messages.json call, including those answered with a failure. */
  readonly attempts: FakeTwilioMessage[] = [];
  /** SIDs whose body was redacted (POST Messages/{sid}.json with an empty Body), in call order. */
  readonly redactions: string[] = [];
  /** messages she sent (the test records them as Twilio would have), listable by From. */
  readonly inbound: { sid: string; from: string; to: string; body: string }[] = [];

  constructor(
    private readonly accountSid: string,
    private readonly authToken: string,
  ) {
    super();
  }

  /** Messages accepted for one number, bodies only. */
  bodiesTo(to: string): string[] {
    return this.messages.filter((m) => m.to === to).map((m) => m.body);
  }

  override reset(): void {
    super.reset();
    this.messages.length = 0;
    this.attempts.length = 0;
  }

  /** Twilio keeps a copy of what she sent; the test mirrors each inbound SMS here. */
  recordInbound(sid: string, from: string, to: string, body: string): void {
    this.inbound.push({ sid, from, to, body });
  }

  /** GET Messages.json?From= (list) and POST Messages/{sid}.json (update: redaction with Body=''). */
  private answerMessage(req: FakeRequest, res: ServerResponse): boolean {
    const { url } = req;
    const one = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\/(SM[0-9a-f]{32})\.json$/i.exec(url.pathname);
    if (req.method === 'POST' && one) {
      const form = req.form();
      const sid = one[2]!;
      const found = this.messages.find((m) => m.sid === sid) ?? this.inbound.find((m) => m.sid === sid);
      if (!found) return this.json(res, 404, { code: 20404, message: `The requested resource /Messages/${sid}.json was not found`, status: 404 }), true;
      if (form.get('Body') !== '') return this.json(res, 400, { code: 21602, message: 'only redaction is supported', status: 400 }), true;
      found.body = '';
      this.redactions.push(sid);
      return this.json(res, 200, { sid, body: '', status: 'delivered', uri: url.pathname }), true;
    }
    if (req.method === 'GET' && /^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\.json$/i.test(url.pathname)) {
      const from = url.searchParams.get('From');
      const rows = [...this.inbound, ...this.messages].filter((m) => from === null || m.from === from);
      const messages = rows.map((m) => ({ sid: m.sid, from: m.from, to: m.to, body: m.body, status: 'received' }));
      return this.json(res, 200, { messages, page: 0, page_size: 50, first_page_uri: url.pathname, next_page_uri: null, uri: url.pathname }), true;
    }
    return false;
  }

  protected answer(req: FakeRequest, res: ServerResponse, raw: IncomingMessage): void {
    if (this.answerMessage(req, res)) return;
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/i.exec(req.path);
    if (req.method !== 'POST' || !match) return this.json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    const form = req.form();
    const message: FakeTwilioMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      accountSid: match[1]!,
      to: form.get('To') ?? '',
      from: form.get('From') ?? '',
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
      authorized: req.hasBasicAuth(this.accountSid, this.authToken),
      at: Date.now(),
    };
    this.attempts.push(message);
    if (!message.authorized) return this.json(res, 401, { code: 20003, message: 'Authenticate', status: 401 });
    if (this.answerFailure(raw, res, (f) => ({ code: f.code ?? f.status, message: f.message ?? 'fake failure', status: f.status }))) return;
    if (!message.to || !message.body) return this.json(res, 400, { code: 21602, message: 'Message body is required.', status: 400 });
    this.messages.push(message);
    this.json(res, 201, {
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
