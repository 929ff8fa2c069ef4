import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { FakeProviderServer, type FakeRequest } from './fake-provider.server';
import { multipartOf } from './fake-telegram.server';

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

/** One `/media` upload as the fake received it (multipart: its fields, and the file part's first bytes). */
export interface GraphMediaUpload {
  phoneNumberId: string;
  authorization: string | undefined;
  /** messaging_product, type. */
  params: Record<string, unknown>;
  file?: { field: string; filename: string; contentType: string; startsWith: string };
  /** the media id the fake answered with. */
  mediaId: string;
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
 * takes `/media` uploads (multipart; an audio message naming an unknown or expired id is refused),
 * or fails on demand (429 / 130429 with Retry-After, 5xx, 131047…), for one recipient when given.
 */
export class FakeWhatsAppServer extends FakeProviderServer {
  readonly calls: GraphMessageCall[] = [];
  readonly uploads: GraphMediaUpload[] = [];
  /** media ids uploaded and not yet expired: an audio message naming another is refused (131053). */
  private readonly media = new Set<string>();
  private readonly rules: FailureRule[] = [];

  /** As after Meta's 30 days: every uploaded media id is gone. */
  expireMedia(): void {
    this.media.clear();
  }

  failNext(failure: GraphFailure, options: { times?: number; to?: string } = {}): void {
    this.rules.push({ ...failure, to: options.to, remaining: options.times ?? 1 });
  }

  callsTo(to: string): GraphMessageCall[] {
    return this.calls.filter((c) => c.params.to === to);
  }

  override reset(): void {
    super.reset();
    this.calls.length = 0;
    this.uploads.length = 0;
    this.media.clear();
    this.rules.length = 0;
  }

  protected answer(req: FakeRequest, res: ServerResponse): void {
    const media = /^\/(v\d+\.\d)\/(\d+)\/media$/.exec(req.url.pathname);
    if (req.method === 'POST' && media) return this.upload(req, res, media[2]!);
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
    const audio = call.params.audio as { id?: unknown } | undefined;
    if (call.params.type === 'audio' && !this.media.has(String(audio?.id))) return this.json(res, 400, graphError(131053, 'Media upload error'));
    call.messageId = `wamid.${randomBytes(18).toString('base64url')}`;
    this.json(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: call.params.to, wa_id: call.params.to }], messages: [{ id: call.messageId }] });
  }

  private upload(req: FakeRequest, res: ServerResponse, phoneNumberId: string): void {
    const multipart = multipartOf(req);
    if (!multipart?.upload) return this.json(res, 400, graphError(100, 'The parameter file is required.'));
    const upload: GraphMediaUpload = { phoneNumberId, authorization: req.headers.authorization, params: multipart.params, file: multipart.upload, mediaId: String(9_000_000_000_000 + this.uploads.length) };
    this.uploads.push(upload);
    this.media.add(upload.mediaId);
    this.json(res, 200, { id: upload.mediaId });
  }
}

function graphError(code: number, message: string) {
  return { error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf' } };
}
