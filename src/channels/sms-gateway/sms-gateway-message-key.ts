import { createHash } from 'node:crypto';
import type { BlindIndex } from '../../crypto/blind-index';
import type { SmsGatewayReceived } from './sms-gateway.dto';

/**
 * The de-duplication key of a received SMS. The app's `messageId` is derived from the content, so
 * "1" sent twice has the same id twice; with the line, the time the phone received it (as the phone
 * wrote it, to its full precision) and the sender, only a repeat of the very same webhook — the
 * app's retries, a replay — has the same key. The sender enters as her blind index: the key, which
 * Redis keeps, cannot be turned back into her number.
 */
export function smsGatewayMessageKey(index: BlindIndex, line: string, payload: SmsGatewayReceived): string {
  const from = index.of('sms', (payload.sender ?? payload.phoneNumber)!);
  return createHash('sha256').update([line, payload.messageId, payload.receivedAt, from].join('\n'), 'utf8').digest('base64url').slice(0, 32);
}
