import type { ServerResponse } from 'node:http';
import { FakeProviderServer, type FakeRequest } from './fake-provider.server';

/** One Bot API call as the fake received it. */
export interface BotApiCall {
  method: string;
  token: string;
  /** the JSON (or form) parameters of the call. */
  params: Record<string, unknown>;
  at: number;
  /** for an answered sendMessage or sendVoice: the message_id the fake gave it. */
  messageId?: number;
  /** for a multipart upload (sendVoice with a file): the file part as received. */
  upload?: { field: string; filename: string; contentType: string; startsWith: string };
}

/** A failure to answer instead of success: `retryAfter` becomes `parameters.retry_after` (429). */
export interface BotApiFailure {
  status: number;
  description: string;
  retryAfter?: number;
}

interface FailureRule extends BotApiFailure {
  method: string;
  chatId?: string;
  remaining: number;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: message text is empty',
  403: 'Forbidden: bot was blocked by the user',
  429: 'Too Many Requests: retry after 1',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/**
 * A local stand-in for the Telegram Bot API (`TELEGRAM_API_ROOT`), a real HTTP server on loopback:
 * it records every call (`/bot<token>/<method>`) and answers like Telegram, or fails on demand
 * (429 with retry_after, 5xx, 403 "bot was blocked") for one method and, optionally, one chat.
 */
export class FakeTelegramServer extends FakeProviderServer {
  readonly calls: BotApiCall[] = [];
  private readonly rules: FailureRule[] = [];
  private readonly pendingUpdates: unknown[] = [];
  private nextMessageId = 1000;
  /** what setWebhook last registered (getWebhookInfo reports it). */
  webhook: { url: string; allowed_updates?: string[]; has_secret: boolean } = { url: '', has_secret: false };

  constructor(readonly bot = { id: 7000001, username: 'sira_test_bot', first_name: 'Sira' }) {
    super();
  }

  /** The next `times` calls of `method` (to `chatId` only, when given) fail with this answer. */
  failNext(method: string, failure: Partial<BotApiFailure> & { status: number }, options: { times?: number; chatId?: string | number } = {}): void {
    this.rules.push({
      method,
      status: failure.status,
      description: failure.description ?? DESCRIPTIONS[failure.status] ?? 'Error',
      retryAfter: failure.retryAfter,
      chatId: options.chatId === undefined ? undefined : String(options.chatId),
      remaining: options.times ?? 1,
    });
  }

  /** Updates that the next getUpdates (long polling) returns. */
  queueUpdate(update: unknown): void {
    this.pendingUpdates.push(update);
  }

  callsOf(method: string, chatId?: string | number): BotApiCall[] {
    return this.calls.filter((c) => c.method === method && (chatId === undefined || String(c.params.chat_id) === String(chatId)));
  }

  override reset(): void {
    super.reset();
    this.calls.length = 0;
    this.rules.length = 0;
  }

  protected answer(req: FakeRequest, res: ServerResponse): Promise<void> | void {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!match) return this.json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const multipart = multipartOf(req);
    const params = multipart?.params ?? req.params();
    const call: BotApiCall = { method: match[2], token: match[1], params, at: Date.now(), upload: multipart?.upload };
    this.calls.push(call);
    const rule = this.rules.find((r) => r.remaining > 0 && r.method === call.method && (r.chatId === undefined || r.chatId === String(params.chat_id)));
    if (rule) {
      rule.remaining--;
      const parameters = rule.retryAfter === undefined ? undefined : { retry_after: rule.retryAfter };
      return this.json(res, rule.status, { ok: false, error_code: rule.status, description: rule.description, parameters });
    }
    if (call.method === 'getUpdates') return this.answerUpdates(res);
    this.json(res, 200, { ok: true, result: this.result(call) });
  }

  private result(call: BotApiCall): unknown {
    switch (call.method) {
      case 'getMe':
        return { ...this.bot, is_bot: true, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
      case 'sendMessage':
        call.messageId = this.nextMessageId++;
        return {
          message_id: call.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(call.params.chat_id), type: 'private' },
          text: call.params.text,
        };
      case 'sendVoice': {
        call.messageId = this.nextMessageId++;
        // an uploaded file gets a new file_id; a file_id sent back is the same voice
        const fileId = call.upload ? `voice-file-${call.messageId}` : String(call.params.voice);
        return {
          message_id: call.messageId,
          date: Math.floor(Date.now() / 1000),
          chat: { id: Number(call.params.chat_id), type: 'private' },
          voice: { file_id: fileId, file_unique_id: `u-${fileId}`, duration: 2, mime_type: 'audio/ogg' },
        };
      }
      case 'setWebhook':
        this.webhook = { url: String(call.params.url), allowed_updates: call.params.allowed_updates as string[] | undefined, has_secret: Boolean(call.params.secret_token) };
        return true;
      case 'deleteWebhook':
        this.webhook = { url: '', has_secret: false };
        return true;
      case 'getWebhookInfo':
        return { url: this.webhook.url, has_custom_certificate: false, pending_update_count: 0, allowed_updates: this.webhook.allowed_updates };
      default:
        return true;
    }
  }

  private async answerUpdates(res: ServerResponse): Promise<void> {
    if (!this.pendingUpdates.length) await new Promise((resolve) => setTimeout(resolve, 50));
    this.json(res, 200, { ok: true, result: this.pendingUpdates.splice(0) });
  }
}

/**
 * A multipart/form-data body (grammY uploads an InputFile that way): its text fields as params, and its
 * file part's name, type and first bytes (the body is read as text, so only an ASCII prefix is kept).
 */
export function multipartOf(req: FakeRequest): { params: Record<string, unknown>; upload?: BotApiCall['upload'] } | undefined {
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/.exec(String(req.headers['content-type'] ?? ''))?.[2];
  if (!boundary) return undefined;
  const params: Record<string, unknown> = {};
  let upload: BotApiCall['upload'];
  for (const part of req.body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /[;\s]name="([^"]*)"/.exec(head)?.[1];
    if (!name) continue;
    // grammY writes filename=… unquoted
    const filename = /filename="?([^";\r\n]*)"?/.exec(head)?.[1];
    if (filename !== undefined) {
      upload = { field: name, filename, contentType: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '', startsWith: value.slice(0, 4) };
    } else {
      params[name] = parseField(value);
    }
  }
  return { params, upload };
}

function parseField(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
