import type { Transformer } from 'grammy';

export interface InlineRetryOptions {
  /** methods retried here (sends only: a button answer or leaveChat must not hold a request up). */
  methods: readonly string[];
  /** a 429 asking to wait longer than this is handed back to the queue instead of waited out. */
  maxRetryAfterMs: number;
  /** attempts in all, the first included. */
  attempts: number;
  /** first 5xx backoff; doubled each time. */
  baseDelayMs: number;
}

export const DEFAULT_INLINE_RETRY: InlineRetryOptions = {
  methods: ['sendMessage'],
  maxRetryAfterMs: 30_000,
  attempts: 4,
  baseDelayMs: 500,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * What grammY's auto-retry plugin does, in a few lines: wait out a 429's `retry_after` and retry a 5xx
 * with bounded backoff, inside the call. Waiting in place keeps her messages in order (a job sent back
 * to the queue could be overtaken by the next part of the same reply) and slows the whole queue down,
 * which is what a 429 asks for. Whatever is still failing after that goes back to the caller.
 */
export function inlineRetry(options: InlineRetryOptions = DEFAULT_INLINE_RETRY): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      const response = await prev(method, payload, signal);
      if (response.ok || attempt >= options.attempts || !options.methods.includes(method)) return response;
      const wait = waitBefore(response, attempt, options);
      if (wait === null) return response;
      await sleep(wait);
    }
  };
}

function waitBefore(
  response: { error_code: number; parameters?: { retry_after?: number } },
  attempt: number,
  options: InlineRetryOptions,
): number | null {
  if (response.error_code === 429) {
    const ms = (response.parameters?.retry_after ?? 1) * 1000;
    return ms <= options.maxRetryAfterMs ? ms : null;
  }
  if (response.error_code >= 500) return options.baseDelayMs * 2 ** (attempt - 1);
  return null;
}
