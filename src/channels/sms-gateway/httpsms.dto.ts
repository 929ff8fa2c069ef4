import { z } from 'zod';

/**
 * httpSMS's webhooks (https://docs.httpsms.com/webhooks/events): a CloudEvents 1.0 JSON body, the event
 * name in `type` (and the `X-Event-Type` header), the event's fields in `data`. Sira takes one event
 * from it: `message.call.missed` (a call the relay phone's SIM did not answer), a free flash. Its data
 * (MessageCallMissedPayload in httpSMS's api/pkg/events): message_id, user_id, owner (the relay's
 * number), contact (who called), timestamp, sim. Other fields are ignored.
 */
export const httpSmsEventSchema = z.object({
  specversion: z.string().max(8).optional(),
  id: z.string().min(1).max(128),
  type: z.string().min(1).max(64),
  data: z.unknown(),
});

export const HTTPSMS_CALL_MISSED = 'message.call.missed';

export const httpSmsCallMissedSchema = z.object({
  /** who called: E.164, as httpSMS normalises it. */
  contact: z.string().regex(/^\+[0-9]{6,15}$/),
  owner: z.string().max(32).optional(),
  timestamp: z.string().max(64).optional(),
  sim: z.string().max(16).optional(),
});
