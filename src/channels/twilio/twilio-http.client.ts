import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { Twilio } from 'twilio';
import type { Config } from '../../config/config';
import { countProviderError } from '../../metrics/process-metrics';
import { SendError } from '../../outbound/outbound.types';

const TWILIO_API = 'https://api.twilio.com';
/** Twilio: "Attempt to send to unsubscribed recipient" — she opted out at the carrier. */
export const TWILIO_OPTED_OUT = '21610';

/** Network failures where the request cannot have reached Twilio: safe to retry. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

/**
 * The official client's HTTP layer, with two changes: requests can go to another base URL
 * (TWILIO_API_BASE_URL, a local fake in tests), and every failure is classified for the outbound
 * queue (see SendError) where the status, the headers and the network error are all still known,
 * and counted in `sira_provider_errors_total{provider="twilio"}` (every REST call: SMS, redaction, calls).
 */
export class TwilioHttpClient extends RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    timeoutMs: number,
  ) {
    super({ timeout: timeoutMs, keepAlive: true });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const uri = this.baseUrl && opts.uri.startsWith(TWILIO_API) ? this.baseUrl.replace(/\/+$/, '') + opts.uri.slice(TWILIO_API.length) : opts.uri;
    let response: Response<TData>;
    try {
      response = await super.request<TData>({ ...opts, uri });
    } catch (err) {
      throw countProviderError('twilio', classifyNetworkError(err));
    }
    if (response.statusCode < 400) return response;
    throw countProviderError('twilio', classifyResponse(response.statusCode, response.body, response.headers as Record<string, unknown>));
  }
}

export function classifyNetworkError(err: unknown): SendError {
  const code = (err as { code?: unknown })?.code;
  const name = typeof code === 'string' ? code : 'network_error';
  return new SendError(NEVER_SENT.has(name) ? 'retryable' : 'ambiguous', name);
}

/** 429 and 5xx: retried (429 after its Retry-After); 21610: she is stopped; any other 4xx: permanent. */
export function classifyResponse(status: number, body: unknown, headers: Record<string, unknown>): SendError {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  const twilioCode = (parsed as { code?: unknown } | null)?.code;
  const code = twilioCode !== undefined && twilioCode !== null ? String(twilioCode) : String(status);
  if (status === 429) return new SendError('retryable', code, retryAfterMs(headers['retry-after']));
  if (status >= 500) return new SendError('retryable', code);
  if (code === TWILIO_OPTED_OUT) return new SendError('blocked', code, undefined, 'carrier');
  return new SendError('permanent', code);
}

function retryAfterMs(value: unknown): number | undefined {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The official client on this HTTP layer, with the SDK's own retries off (the outbound queue decides):
 * one construction for the SMS sender and the SMS and voice forgetters.
 */
export function twilioRestClient(twilio: NonNullable<Config['twilio']>): Twilio {
  return new Twilio(twilio.accountSid, twilio.authToken, { httpClient: new TwilioHttpClient(twilio.apiBaseUrl, twilio.timeoutMs), autoRetry: false });
}

/** A code for a failed Twilio call, never its message: Twilio's messages name the number they failed on. */
export function twilioFailureCode(err: unknown): string {
  if (err instanceof SendError) return err.code;
  return err instanceof Error ? err.name : 'error';
}
