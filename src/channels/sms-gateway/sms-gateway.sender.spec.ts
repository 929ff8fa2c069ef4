import { classifyNetworkError, classifyResponse } from './sms-gateway.sender';

describe('relay send failures, classified for the outbound queue (at most once)', () => {
  it('retries what never reached the phone: refused connection, unknown host, 429 (after Retry-After), 502–504', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyNetworkError(refused)).toMatchObject({ kind: 'retryable', code: 'ECONNREFUSED' });
    expect(classifyResponse(429, '7')).toMatchObject({ kind: 'retryable', code: '429', retryAfterMs: 7000 });
    expect(classifyResponse(429, null)).toMatchObject({ kind: 'retryable', retryAfterMs: undefined });
    expect(classifyResponse(503, null)).toMatchObject({ kind: 'retryable', code: '503' });
  });

  it('never resends what the phone may have taken: a timeout, a reset, a 500', () => {
    const timeout = Object.assign(new Error('aborted'), { name: 'TimeoutError' });
    expect(classifyNetworkError(timeout)).toMatchObject({ kind: 'ambiguous', code: 'timeout' });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect(classifyNetworkError(reset)).toMatchObject({ kind: 'ambiguous', code: 'ECONNRESET' });
    expect(classifyResponse(500, null)).toMatchObject({ kind: 'ambiguous', code: '500' });
  });

  it('gives up on a request the app refuses: bad number, bad credentials', () => {
    expect(classifyResponse(400, null)).toMatchObject({ kind: 'permanent', code: '400' });
    expect(classifyResponse(401, null)).toMatchObject({ kind: 'permanent', code: '401' });
  });
});
