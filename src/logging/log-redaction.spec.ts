import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { maskPath, REDACT_PATHS, serializeRequest, serializeResponse } from './log-redaction';

function fakeRequest(url: string, headers: Record<string, string> = {}): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.url = url;
  req.headers = headers;
  return req;
}

describe('request log serialisation', () => {
  it('keeps the method and the path, without the query string or any header', () => {
    const req = fakeRequest('/webhooks/twilio/sms?From=%2B22370000000&Body=secret', {
      'x-twilio-signature': 'sig',
      authorization: 'Bearer t',
    });
    expect(serializeRequest(req)).toEqual({ method: 'POST', path: '/webhooks/twilio/sms' });
  });

  it('masks a long digit run put into a path', () => {
    expect(maskPath('/contacts/+22370000000/x')).toBe('/contacts/<digits>/x');
    expect(maskPath('/health/ready')).toBe('/health/ready');
  });

  it('keeps only the status of a response', () => {
    const res = new ServerResponse(fakeRequest('/'));
    res.statusCode = 204;
    expect(serializeResponse(res)).toEqual({ statusCode: 204 });
  });
});

describe('redaction of fields logged by mistake', () => {
  it('censors personal fields at the top level and one level down, and secret headers', () => {
    let out = '';
    const sink = new Writable({ write: (chunk, _e, done) => ((out += String(chunk)), done()) });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info({ address: '+22370000001', msg: { text: 'her words' }, headers: { 'x-telegram-bot-api-secret-token': 'tok' } }, 'oops');
    expect(out).not.toMatch(/22370000001|her words|"tok"/);
    expect(out).toContain('[redacted]');
  });
});
