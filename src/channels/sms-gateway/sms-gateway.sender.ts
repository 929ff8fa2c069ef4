import { Logger } from '@nestjs/common';
import { countProviderError } from '../../metrics/process-metrics';
import { SendError, type SendRequest, type SendResult, type Sender } from '../../outbound/outbound.types';
import type { SmsMessage } from '../sms/sms-channel';
import { smsCost } from '../../common/sms-segments';
import type { SmsGatewayLine } from './sms-gateway.lines';
import type { SmsGatewayPacer } from './sms-gateway.pacer';

/** Network failures where the request cannot have reached the phone: safe to retry. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Sends one SMS from one SIM through the app's API (`POST {apiUrl}/message`, Basic auth; the same
 * route in local-server and cloud modes), with plain `fetch`: the `android-sms-gateway` client 3.0 is
 * an ES module only (Sira is CommonJS on Node 20) and sends nothing `fetch` would not.
 * The message carries Sira's row id as its id, so the app's receipts name the row (and settle a send
 * that ended `unknown`). Waits for the SIM's turn first (SmsGatewayPacer).
 */
export class SmsGatewaySender implements Sender<SmsMessage> {
  private readonly log = new Logger(SmsGatewaySender.name);
  private readonly authorization: string;

  constructor(
    private readonly line: SmsGatewayLine,
    private readonly pacer: SmsGatewayPacer,
    private readonly timeoutMs: number,
  ) {
    this.authorization = `Basic ${Buffer.from(`${line.username}:${line.password}`).toString('base64')}`;
  }

  async send(request: SendRequest<SmsMessage>): Promise<SendResult> {
    try {
      await this.pacer.waitTurn(this.line.line, smsCost(request.message).segments, this.line.segmentIntervalMs);
    } catch {
      throw new SendError('retryable', 'pacing_unavailable'); // nothing left Sira yet
    }
    let response: Response;
    try {
      response = await fetch(`${this.line.apiUrl.replace(/\/+$/, '')}/message`, {
        method: 'POST',
        headers: { Authorization: this.authorization, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(this.body(request)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw countProviderError('sms_gateway', classifyNetworkError(err));
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw this.refused(response);
    }
    const answer = (await response.json().catch(() => null)) as { id?: unknown } | null;
    return { providerId: typeof answer?.id === 'string' && answer.id ? answer.id : request.rowId, provider: 'sms_gateway' };
  }

  private body(request: SendRequest<SmsMessage>) {
    return {
      id: request.rowId,
      textMessage: { text: request.message },
      phoneNumbers: [request.address],
      withDeliveryReport: true,
      ...(this.line.simNumber ? { simNumber: this.line.simNumber } : {}),
      ...(this.line.deviceId ? { deviceId: this.line.deviceId } : {}),
    };
  }

  private refused(response: Response): SendError {
    const error = countProviderError('sms_gateway', classifyResponse(response.status, response.headers.get('retry-after')));
    if (response.status === 401 || response.status === 403) this.log.error(`relay ${this.line.id} refused the credentials (${response.status})`);
    return error;
  }
}

/** A timeout or a reset may come after the phone took the message: `unknown`, never resent. */
export function classifyNetworkError(err: unknown): SendError {
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network_error';
  return new SendError(NEVER_SENT.has(code) ? 'retryable' : 'ambiguous', code);
}

/**
 * 429 and 502–504 (a proxy in front of the phone or the cloud server said no): retried. 500: the app
 * may have stored it — `unknown`. Any other 4xx (bad number, bad credentials): permanent.
 */
export function classifyResponse(status: number, retryAfter: string | null): SendError {
  const code = String(status);
  if (status === 429) {
    const seconds = Number(retryAfter);
    return new SendError('retryable', code, Number.isFinite(seconds) && seconds >= 0 && retryAfter !== null ? seconds * 1000 : undefined);
  }
  if (status >= 502 && status <= 504) return new SendError('retryable', code);
  if (status >= 500) return new SendError('ambiguous', code);
  return new SendError('permanent', code);
}
