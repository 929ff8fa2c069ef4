import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CONFIG } from '../../config/config.module';
import type { Config } from '../../config/config';
import { countProviderError } from '../../metrics/process-metrics';
import { SendError, type SendRequest, type SendResult, type Sender } from '../../outbound/outbound.types';
import type { WhatsAppMessage } from './whatsapp.renderer';
import { audioPayload, WhatsAppAudio } from './whatsapp-audio';
import { WhatsAppReachability } from './whatsapp-reachability';
import { templatePayload, type WhatsAppOutgoing } from './whatsapp-templates';
import { WhatsAppWindow } from './whatsapp-window';

/** Connection failures that prove the request never reached Meta: safe to try again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/**
 * Graph API error codes that mean "not now": throughput (130429), too many to one person (131056),
 * API rate limits (4, 80007), temporary errors (1, 2, 131000 "something went wrong", 131016 service
 * unavailable). Every other error is permanent for this message (131047: her 24 hours are over; 131026:
 * undeliverable; 100: a malformed request) and settles it as failed, never resent.
 */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
const TEMPORARY_CODES = new Set([1, 2, 131000, 131016]);

export interface WhatsAppRetry {
  /** calls per send, the first included, while Meta says "too many" or fails with a 5xx. */
  attempts: number;
  /** wait before the second call (doubled each time) when Meta gives no Retry-After. */
  baseDelayMs: number;
  /** a longer Retry-After is not waited out here: the job goes back to the queue with it. */
  maxWaitMs: number;
  timeoutMs: number;
}

export const WHATSAPP_RETRY = Symbol('WHATSAPP_RETRY');
export const DEFAULT_WHATSAPP_RETRY: WhatsAppRetry = { attempts: 3, baseDelayMs: 1000, maxWaitMs: 10_000, timeoutMs: 10_000 };

interface GraphAnswer {
  status: number;
  retryAfterMs?: number;
  body: { messages?: { id?: unknown }[]; error?: { code?: unknown } };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one rendered message with `POST {base}/{version}/{phone-number-id}/messages` (Bearer token).
 * As on Telegram, a 429 or 5xx is waited out inside the call (her messages stay in order, and the queue
 * slows down, which is what a 429 asks for); what still fails goes back to the queue classified.
 * Returns the `wamid`, which the statuses webhook names, never the text.
 */
@Injectable()
export class WhatsAppSender implements Sender<WhatsAppMessage> {
  private readonly log = new Logger(WhatsAppSender.name);
  private readonly endpoint: string;
  private readonly token: string;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(WHATSAPP_RETRY) private readonly retry: WhatsAppRetry,
    @Inject(WhatsAppWindow) private readonly window: WhatsAppWindow,
    @Inject(WhatsAppReachability) private readonly reachability: WhatsAppReachability,
    @Optional() @Inject(WhatsAppAudio) private readonly audio?: WhatsAppAudio,
  ) {
    const whatsapp = config.whatsapp;
    if (!whatsapp) throw new Error('WhatsAppSender needs WHATSAPP_ACCESS_TOKEN');
    this.endpoint = `${whatsapp.apiBaseUrl}/${whatsapp.apiVersion}/${whatsapp.phoneNumberId}/messages`;
    this.token = whatsapp.accessToken;
  }

  async send(request: SendRequest<WhatsAppMessage>): Promise<SendResult> {
    const message = request.message as WhatsAppOutgoing;
    // listen mode: a recorded prompt (whatsapp-audio.ts), uploaded once, then sent like any message
    if (message.type === 'audio') {
      if (!this.audio) throw new SendError('permanent', 'no-audio');
      return this.audio.send(message.voice, (mediaId) => this.deliver(request, JSON.stringify(audioPayload(request.address, mediaId))));
    }
    // decided when it leaves: her window may have closed while it waited in the queue
    const asTemplate = message.template && !(await this.window.isOpen(request.address));
    return this.deliver(request, JSON.stringify(asTemplate ? templatePayload(request.address, message.template!) : graphPayload(request.address, message)));
  }

  private async deliver(request: SendRequest<WhatsAppMessage>, payload: string): Promise<SendResult> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.post(payload);
      const failure = classifyWhatsAppAnswer(answer);
      if (!failure) return { providerId: String(answer.body.messages![0]!.id), provider: 'whatsapp' };
      countProviderError('whatsapp', failure);
      const wait = failure.kind === 'retryable' ? (failure.retryAfterMs ?? this.retry.baseDelayMs * 2 ** (attempt - 1)) : null;
      if (wait === null || attempt >= this.retry.attempts || wait > this.retry.maxWaitMs) {
        if (failure.kind !== 'retryable') {
          this.log.warn(`whatsapp send refused (${failure.code})`);
          await this.reachability.failed(request.contactId, failure.code).catch(() => undefined);
        }
        throw failure;
      }
      await sleep(wait);
    }
  }

  private async post(payload: string): Promise<GraphAnswer> {
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(this.retry.timeoutMs),
      });
    } catch (err) {
      throw countProviderError('whatsapp', classifyNetworkError(err));
    }
    let body: GraphAnswer['body'] = {};
    try {
      body = (await res.json()) as GraphAnswer['body'];
    } catch {
      // an answer that is not JSON: judged by its status alone
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    return { status: res.status, body: body ?? {}, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
  }
}

/** The Cloud API's message object for one rendered message. */
export function graphPayload(to: string, message: WhatsAppMessage): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  switch (message.type) {
    case 'text':
      return { ...base, type: 'text', text: { body: message.text, preview_url: false } };
    case 'buttons':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'button', body: { text: message.text }, action: { buttons: message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } },
      };
    case 'list':
      return {
        ...base,
        type: 'interactive',
        interactive: { type: 'list', body: { text: message.text }, action: { button: message.button, sections: [{ rows: message.rows }] } },
      };
    case 'audio':
      // needs the media id of the uploaded recording: sent by WhatsAppAudio with audioPayload
      throw new SendError('permanent', 'no-media');
  }
}

/** null when Meta took the message; else what the outbound processor should do with it. */
export function classifyWhatsAppAnswer(answer: GraphAnswer): SendError | null {
  const id = answer.body.messages?.[0]?.id;
  if (answer.status >= 200 && answer.status < 300 && typeof id === 'string' && id) return null;
  const code = Number(answer.body.error?.code);
  const label = Number.isSafeInteger(code) ? String(code) : String(answer.status);
  if (answer.status === 429 || RATE_LIMIT_CODES.has(code)) return new SendError('retryable', label, answer.retryAfterMs);
  if (answer.status >= 500 || TEMPORARY_CODES.has(code)) return new SendError('retryable', label, answer.retryAfterMs);
  // a 2xx without a message id: it may have been taken
  if (answer.status < 300) return new SendError('ambiguous', 'no_message_id');
  return new SendError('permanent', label);
}

/** Refused or unresolved: never left, retried. A timeout or a reset: it may have been sent, never resent. */
export function classifyNetworkError(err: unknown): SendError {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && NOT_SENT_CODES.has(code)) return new SendError('retryable', code);
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return new SendError('ambiguous', 'timeout');
  return new SendError('ambiguous', code ?? 'network');
}
