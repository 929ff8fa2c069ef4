import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signSmsGatewayBody } from '../../src/channels/sms-gateway/sms-gateway-signature';
import { FailingFakeProviderServer, type FakeRequest, type TransportFailure } from './fake-provider.server';

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

export type FakeRelayFailure = TransportFailure;

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
export class FakeSmsGatewayPhone extends FailingFakeProviderServer<FakeRelayFailure> {
  readonly messages: FakeRelayMessage[] = [];
  readonly attempts: FakeRelayMessage[] = [];

  constructor(
    readonly username: string,
    readonly password: string,
    readonly signingKey: string,
  ) {
    super();
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

  protected answer(req: FakeRequest, res: ServerResponse, raw: IncomingMessage): void {
    if (req.method !== 'POST' || !/\/message$/.test(req.path)) return this.json(res, 404, { message: 'not found' });
    let parsed: { id?: string; textMessage?: { text?: string }; phoneNumbers?: string[]; simNumber?: number; deviceId?: string; withDeliveryReport?: boolean };
    try {
      parsed = req.json();
    } catch {
      return this.json(res, 400, { message: 'invalid JSON' });
    }
    const message: FakeRelayMessage = {
      id: parsed.id ?? randomBytes(10).toString('hex'),
      text: parsed.textMessage?.text ?? '',
      phoneNumbers: parsed.phoneNumbers ?? [],
      simNumber: parsed.simNumber,
      deviceId: parsed.deviceId,
      withDeliveryReport: parsed.withDeliveryReport,
      authorized: req.hasBasicAuth(this.username, this.password),
      at: Date.now(),
    };
    this.attempts.push(message);
    if (!message.authorized) return this.json(res, 401, { message: 'Unauthorized' });
    if (this.answerFailure(raw, res, () => ({ message: 'fake failure' }))) return;
    if (!message.text || message.phoneNumbers.length === 0) return this.json(res, 400, { message: 'text and phoneNumbers are required' });
    this.messages.push(message);
    this.json(res, 202, { id: message.id, state: 'Pending', recipients: message.phoneNumbers.map((phoneNumber) => ({ phoneNumber, state: 'Pending' })) });
  }
}
