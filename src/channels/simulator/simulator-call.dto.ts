import { z } from 'zod';

/**
 * One request of the simulator's keypad phone. Without `call`: the phone dials (a new call). With it:
 * what the last answer's `next` said (like the signed action URL Twilio brings back) and the keys
 * pressed on that prompt (`''`: none before the timeout).
 */
export const simulatorCallSchema = z
  .object({
    /** the simulated phone: a simulator identity (its fictitious number is derived from it) or a number. */
    from: z.string().regex(/^[A-Za-z0-9+_-]{1,64}$/),
    call: z
      .object({
        id: z.string().regex(/^SIM[0-9a-f]{32}$/),
        step: z.number().int().min(1).max(10_000),
        listening: z.enum(['key', 'number']),
        silences: z.number().int().min(0).max(10),
      })
      .strict()
      .optional(),
    digits: z.string().regex(/^[0-9*#]{0,32}$/).optional(),
  })
  .strict()
  .refine((m) => (m.call === undefined) === (m.digits === undefined), { message: 'digits go with call, and only with call' });

export type SimulatorCallRequest = z.infer<typeof simulatorCallSchema>;
