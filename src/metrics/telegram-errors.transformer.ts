import type { Transformer } from 'grammy';
import { countProviderError } from './process-metrics';

/**
 * Counts every Bot API call Telegram refused (`error_code`: 429, 403, 5xx…) or that failed on the
 * network (its error code, e.g. ECONNREFUSED) in `sira_provider_errors_total{provider="telegram"}`.
 * Installed first on the bot's API (innermost), so each attempt of the inline retry is counted, for
 * every method: sends, deletions on erasure, webhook set-up, polling.
 */
export function countTelegramErrors(): Transformer {
  return async (prev, method, payload, signal) => {
    let response: Awaited<ReturnType<typeof prev>>;
    try {
      response = await prev(method, payload, signal);
    } catch (err) {
      countProviderError('telegram', { code: networkCode(err) });
      throw err;
    }
    if (!response.ok) countProviderError('telegram', { code: String(response.error_code) });
    return response;
  };
}

/** grammY's HttpError keeps the network error as `error` (a fetch failure's `code`, or its cause's). */
function networkCode(err: unknown): string {
  const inner = (err as { error?: { code?: unknown; cause?: { code?: unknown }; name?: unknown } } | undefined)?.error;
  for (const code of [inner?.code, inner?.cause?.code]) if (typeof code === 'string') return code;
  return inner?.name === 'AbortError' || inner?.name === 'TimeoutError' ? 'timeout' : 'network';
}
