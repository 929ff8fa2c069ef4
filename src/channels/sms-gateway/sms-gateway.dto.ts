import { z } from 'zod';
import type { OutboundStatus } from '../../outbound/outbound.types';

const number = z.string().regex(/^\+?[0-9]{3,15}$/);
const sim = z.number().int().min(1).max(9).nullish();

/** Every webhook of the app: an event name and its payload (other fields are ignored). */
export const smsGatewayEnvelopeSchema = z.object({
  event: z.string().min(1).max(64),
  deviceId: z.string().max(128).optional(),
  payload: z.unknown(),
});

/** `sms:received`. `messageId` is derived from the content: not unique (see smsGatewayMessageKey). */
export const smsGatewayReceivedSchema = z
  .object({
    messageId: z.string().min(1).max(128),
    message: z.string().max(5000),
    /** who sent it (app ≥ 2026); `phoneNumber` is the older, deprecated name of the same thing. */
    sender: number.optional(),
    phoneNumber: number.optional(),
    simNumber: sim,
    receivedAt: z.string().min(1).max(64),
  })
  .refine((p) => p.sender ?? p.phoneNumber, { message: 'sender is missing', path: ['sender'] });
export type SmsGatewayReceived = z.infer<typeof smsGatewayReceivedSchema>;

/** `sms:sent`, `sms:delivered`, `sms:failed`: `messageId` is the id Sira gave the message. */
export const smsGatewayStatusSchema = z.object({
  messageId: z.string().min(1).max(128),
  simNumber: sim,
  reason: z.string().max(500).optional(),
});
export type SmsGatewayStatusPayload = z.infer<typeof smsGatewayStatusSchema>;

export const SMS_GATEWAY_STATUS_EVENTS: Record<string, OutboundStatus> = {
  'sms:sent': 'sent',
  'sms:delivered': 'delivered',
  'sms:failed': 'failed',
};

/**
 * The app's failure reason as an error code: Android's result names (RESULT_ERROR_LIMIT_EXCEEDED…)
 * are kept; free text is not (it could quote anything), only that it failed.
 */
export function failureCode(reason: string | undefined): string {
  const code = reason?.trim().toUpperCase();
  return code && /^[A-Z][A-Z0-9_]{2,63}$/.test(code) ? code : 'relay_failed';
}

/** Names the invalid fields without echoing what was sent (it may hold a number or her words). */
export function invalidFields(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.path.join('.') || 'body'))].join(', ');
}
