import { GrammyError, HttpError } from 'grammy';
import { classifyTelegramError } from './telegram.sender';
import { inlineRetry } from './telegram-retry.transformer';
import { secretTokenMatches } from './telegram-secret';

const apiError = (code: number, retryAfter?: number) =>
  new GrammyError('x', { ok: false, error_code: code, description: 'd', parameters: retryAfter ? { retry_after: retryAfter } : {} }, 'sendMessage', {});

describe('classifyTelegramError', () => {
  it('retries a 429 after the delay Telegram asks for, and a 5xx', () => {
    expect(classifyTelegramError(apiError(429, 7))).toMatchObject({ kind: 'retryable', code: '429', retryAfterMs: 7000 });
    expect(classifyTelegramError(apiError(502))).toMatchObject({ kind: 'retryable', code: '502' });
  });

  it('stops the contact on a 403 and gives up on other 4xx', () => {
    expect(classifyTelegramError(apiError(403))).toMatchObject({ kind: 'blocked', optOutSource: 'blocked' });
    expect(classifyTelegramError(apiError(400))).toMatchObject({ kind: 'permanent', code: '400' });
  });

  it('retries only network failures that prove nothing was sent; a timeout is ambiguous', () => {
    const refused = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    expect(classifyTelegramError(new HttpError('x', refused))).toMatchObject({ kind: 'retryable' });
    expect(classifyTelegramError(new HttpError('x', reset))).toMatchObject({ kind: 'ambiguous', code: 'ECONNRESET' });
    expect(classifyTelegramError(new HttpError('x', new Error('aborted')))).toMatchObject({ kind: 'ambiguous' });
  });
});

describe('inlineRetry', () => {
  const options = { methods: ['sendMessage'], maxRetryAfterMs: 2000, attempts: 3, baseDelayMs: 1 };
  const scripted = (answers: object[]) => {
    const calls: string[] = [];
    const prev = jest.fn(async (method: string) => {
      calls.push(method);
      return answers.shift() ?? { ok: true, result: true };
    });
    return { prev, calls };
  };

  it('waits a short retry_after and retries', async () => {
    const { prev } = scripted([{ ok: false, error_code: 429, description: 'd', parameters: { retry_after: 0.01 } }]);
    const res = await inlineRetry(options)(prev as never, 'sendMessage' as never, {} as never);
    expect(res.ok).toBe(true);
    expect(prev).toHaveBeenCalledTimes(2);
  });

  it('hands a long retry_after, a 4xx, other methods and exhausted attempts back at once', async () => {
    const long = scripted([{ ok: false, error_code: 429, description: 'd', parameters: { retry_after: 60 } }]);
    expect((await inlineRetry(options)(long.prev as never, 'sendMessage' as never, {} as never)).ok).toBe(false);
    const forbidden = scripted([{ ok: false, error_code: 403, description: 'd' }]);
    expect((await inlineRetry(options)(forbidden.prev as never, 'sendMessage' as never, {} as never)).ok).toBe(false);
    const other = scripted([{ ok: false, error_code: 500, description: 'd' }]);
    expect((await inlineRetry(options)(other.prev as never, 'answerCallbackQuery' as never, {} as never)).ok).toBe(false);
    const down = scripted([1, 2, 3, 4].map(() => ({ ok: false, error_code: 500, description: 'd' })));
    expect((await inlineRetry(options)(down.prev as never, 'sendMessage' as never, {} as never)).ok).toBe(false);
    expect(down.prev).toHaveBeenCalledTimes(3);
  });
});

describe('secretTokenMatches', () => {
  it('accepts only the exact secret', () => {
    expect(secretTokenMatches('s3cret-token-1234', 's3cret-token-1234')).toBe(true);
    expect(secretTokenMatches('s3cret-token-1234', 's3cret-token-123')).toBe(false);
    expect(secretTokenMatches('s3cret-token-1234', undefined)).toBe(false);
    expect(secretTokenMatches('s3cret-token-1234', ['s3cret-token-1234'])).toBe(false);
    expect(secretTokenMatches(undefined, '')).toBe(false);
  });
});
