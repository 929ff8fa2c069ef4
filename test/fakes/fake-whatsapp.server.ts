import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { FakeProviderServer, type FakeRequest } from './fake-provider.server';

/** One `/messages` call as the fake received it. */
export interface GraphMessageCall {
  version: string;
  phoneNumberId: string;
  authorization: string | undefined;
  /** the message object posted (to, type, text / interactive…). */
  params: Record<string, unknown>;
  at: number;
  /** the wamid the fake answered with. */
  messageId?: string;
}

/** A Graph API error answer: `code` becomes `error.code`, `retryAfter` the Retry-After header. */
export interface GraphFailure {
  status: number;
  code: number;
  retryAfter?: number;
}

interface FailureRule extends GraphFailure {
  to?: string;
  remaining: number;
}

/**
 * A local stand-in for Meta's Graph API (`WHATSAPP_API_BASE_URL`), a real HTTP server on loopback: it
 * records every `POST /<version>/<phone-number-id>/messages` and answers like the Cloud API (a wamid),
 * or fails on demand (429 / 130429 with Retry-After, 5xx, 131047…), for one recipient when given.
 */
export class FakeWhatsAppServer extends FakeProviderServer {
  readonly calls: GraphMessageCall[] = [];
  private readonly rules: FailureRule[] = [];

  failNext(failure: GraphFailure, options: { times?: number; to?: string } = {}): void {
    this.rules.push({ ...failure, to: options.to, remaining: options.times ?? 1 });
  }

  callsTo(to: string): GraphMessageCall[] {
    return this.calls.filter((c) => c.params.to === to);
  }

  override reset(): void {
    super.reset();
    this.calls.length = 0;
    this.rules.length = 0;
  }

  protected answer(req: FakeRequest, res: ServerResponse): void {
    const match = /^\/(v\d+\.\d)\/(\d+)\/messages$/.exec(req.url.pathname);
    if (req.method !== 'POST' || !match) return this.json(res, 404, graphError(100, 'Unknown path components'));
    const call: GraphMessageCall = { version: match[1]!, phoneNumberId: match[2]!, authorization: req.headers.authorization, params: req.json(), at: Date.now() };
    this.calls.push(call);
    const rule = this.rules.find((r) => r.remaining > 0 && (r.to === undefined || r.to === call.params.to));
    if (rule) {
      rule.remaining--;
      if (rule.retryAfter !== undefined) res.setHeader('Retry-After', String(rule.retryAfter));
      return this.json(res, rule.status, graphError(rule.code, 'fake failure'));
    }
    call.messageId = `wamid.${randomBytes(18).toString('base64url')}`;
    this.json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: call.params.to, wa_id: call.params.to }], messages: [{ id: call.messageId }] });
  }
}

function graphError(code: number, message: string) {
  return { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf' } };
}
