import { z } from 'zod';

/**
 * A variable holding JSON (`SMS_GATEWAY_PHONES`, `WHATSAPP_TEMPLATES`): parsed, or one issue "is not
 * valid JSON" that never quotes the value (it may hold secrets). Pipe the result into its shape.
 */
export function jsonText() {
  return z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
      return z.NEVER;
    }
  });
}
