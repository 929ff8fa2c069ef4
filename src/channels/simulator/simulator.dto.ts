import { z } from 'zod';

/**
 * What the development simulator accepts: one message from a simulated phone or chat.
 * `from` is a simulated identity chosen by the client (never a real number is needed).
 */
export const simulatorMessageSchema = z
  .object({
    from: z.string().regex(/^[A-Za-z0-9+_-]{1,64}$/),
    text: z.string().max(1600).optional(),
    /** a Telegram-style /start: begins a new conversation. */
    start: z.literal(true).optional(),
    /** a Telegram-style button tap. */
    choice: z.object({ question: z.number().int().min(0), id: z.string().regex(/^[a-z0-9_]{1,48}$/) }).optional(),
  })
  .strict()
  .refine((m) => [m.text !== undefined, m.start, m.choice].filter(Boolean).length === 1, {
    message: 'exactly one of text, start or choice is required',
  });

export type SimulatorMessage = z.infer<typeof simulatorMessageSchema>;
