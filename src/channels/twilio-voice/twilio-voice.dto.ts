import { z } from 'zod';

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`));
const e164 = z.string().regex(/^\+[0-9]{6,15}$/);

/** The fields of Twilio's voice webhooks that Sira reads (a call coming in, a key pressed); others are ignored. */
export const twilioCallSchema = z.object({
  CallSid: sid('CA'),
  AccountSid: sid('AC'),
  /** a withheld caller id arrives as a word ("anonymous"): refused below, there is no one to answer. */
  From: z.string().min(1).max(32),
  To: z.string().min(1).max(32),
  Digits: z.string().regex(/^[0-9*#]{0,32}$/).optional(),
  /** answering-machine detection on a call Sira placed: human, machine_start, machine_end_*, fax, unknown. */
  AnsweredBy: z.string().max(40).optional(),
});
export type TwilioCall = z.infer<typeof twilioCallSchema>;

/** The action URL's own parameters (signed with the URL). */
export const twilioKeyQuerySchema = z.object({
  n: z.coerce.number().int().min(1).max(10_000),
  /** `greet`: the neutral greeting of a return call, waiting for any key before anything is said. */
  l: z.enum(['key', 'number', 'greet']),
  s: z.coerce.number().int().min(0).max(10),
});

const CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled'] as const;

export const twilioCallStatusSchema = z.object({
  CallSid: sid('CA'),
  AccountSid: sid('AC'),
  CallStatus: z.enum(CALL_STATUSES),
  CallDuration: z.string().regex(/^\d{1,6}$/).optional(),
});

export function isE164(value: string): boolean {
  return e164.safeParse(value).success;
}
