import { pinoHttpOptions, prettyWanted } from './logger.module';

describe('log format', () => {
  it('is human-readable on a terminal outside production, JSON lines otherwise', () => {
    expect(prettyWanted('development', true)).toBe(true);
    expect(prettyWanted('test', true)).toBe(true);
    expect(prettyWanted('production', true)).toBe(false);
    expect(prettyWanted('development', false)).toBe(false);
  });

  it('pretty output goes through pino-pretty and keeps the same redaction', () => {
    const pretty = pinoHttpOptions('info', true);
    expect(pretty.transport).toMatchObject({ target: 'pino-pretty' });
    expect(pretty.redact).toEqual(pinoHttpOptions('info', false).redact);
    expect(pinoHttpOptions('info', false).transport).toBeUndefined();
  });
});
