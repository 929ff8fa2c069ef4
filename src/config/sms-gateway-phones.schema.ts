import { z } from 'zod';
import { jsonText } from './json-text.schema';

const name = z.string().regex(/^[a-z0-9_-]{1,32}$/i);

/**
 * One line of the relay ("SMS Gateway for Android"): one SIM of one phone. Two SIMs of one phone are
 * two entries with the same `phone` (and the same API, credentials and signing key).
 */
export const smsGatewayLineSchema = z.object({
  /** the line's name: in contacts' source as `sms-gateway:<id>`, and in logs. */
  id: name,
  /** the phone it sits in (default: id). Its webhooks call /webhooks/sms-gateway/<phone>. */
  phone: name.optional(),
  /** the app's API: `http://<phone ip>:8080` (local server) or `https://api.sms-gate.app/3rdparty/v1` (cloud). */
  apiUrl: z.string().url(),
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(256),
  /** the app's webhook signing key (Settings → Webhooks → Signing Key). */
  signingKey: z.string().min(8).max(256),
  /** the SIM to send from (1–3); unset: the phone's default SIM. Inbound SMS name their SIM. */
  simNumber: z.number().int().min(1).max(3).optional(),
  /** cloud/private server with several phones on one account: the device to send from. */
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  /** this SIM's own pace (default SMS_GATEWAY_SEGMENTS_PER_MINUTE). */
  segmentsPerMinute: z.number().min(0.1).max(600).optional(),
});

export type SmsGatewayLineEntry = z.infer<typeof smsGatewayLineSchema>;

/** `SMS_GATEWAY_PHONES`: a JSON list of lines, ids unique, the lines of one phone sharing its signing key. */
export const smsGatewayPhonesSchema = jsonText()
  .pipe(z.array(smsGatewayLineSchema).min(1).max(20))
  .superRefine((lines, ctx) => {
    const ids = new Set<string>();
    const keys = new Map<string, string>();
    lines.forEach((line, i) => {
      if (ids.has(line.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'is used twice' });
      ids.add(line.id);
      const phone = line.phone ?? line.id;
      if (keys.has(phone) && keys.get(phone) !== line.signingKey) {
        ctx.addIssue({ code: 'custom', path: [i, 'signingKey'], message: 'differs from another line of the same phone' });
      }
      keys.set(phone, line.signingKey);
    });
  });
