import { z } from 'zod';
import type { OutboundStatus } from '../../outbound/outbound.types';

const sid = (prefixes: string) => z.string().regex(new RegExp(`^(${prefixes})[0-9a-fA-F]{32}$`));
const number = z.string().regex(/^\+?[0-9]{3,15}$/);

/** The fields of Twilio's inbound SMS webhook that Sira reads; others are ignored. */
export const twilioInboundSchema = z.object({
  MessageSid: sid('SM|MM'),
  AccountSid: sid('AC'),
  From: number,
  To: z.string().min(3).max(32),
  Body: z.string().max(1600),
  NumMedia: z.string().regex(/^\d{1,2}$/).optional(),
});
export type TwilioInbound = z.infer<typeof twilioInboundSchema>;

/** Twilio's message statuses (status callback `MessageStatus`). */
const TWILIO_STATUSES = ['queued', 'accepted', 'scheduled', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'canceled', 'read', 'receiving', 'received', 'partially_delivered'] as const;

export const twilioStatusSchema = z.object({
  MessageSid: sid('SM|MM'),
  AccountSid: sid('AC'),
  MessageStatus: z.enum(TWILIO_STATUSES),
  ErrorCode: z.string().regex(/^\d{1,6}$/).optional(),
});
export type TwilioStatus = z.infer<typeof twilioStatusSchema>;

/** Twilio's status in Sira's delivery states (a receipt never moves a record backwards anyway). */
export function toOutboundStatus(status: TwilioStatus['MessageStatus']): OutboundStatus {
  switch (status) {
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
    case 'partially_delivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    case 'sent':
      return 'sent';
    case 'sending':
      return 'sending';
    default:
      return 'queued';
  }
}

/** Names the invalid fields without echoing what was sent (it may hold a number or her words). */
export function invalidFields(error: z.ZodError): string {
  return [...new Set(error.issues.map((i) => i.path.join('.') || 'body'))].join(', ');
}
