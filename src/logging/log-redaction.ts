import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What a log line may say about an HTTP exchange: the method, the path without its query string
 * (long digit runs masked, in case a number was put into a URL) and the status. No headers (they
 * carry signatures, secret tokens, cookies), no bodies (they carry her number and her words).
 */
export function serializeRequest(req: IncomingMessage & { originalUrl?: string }): { method?: string; path: string } {
  const url = req.originalUrl ?? req.url ?? '';
  return { method: req.method, path: maskPath(url.split('?')[0]!) };
}

export function serializeResponse(res: ServerResponse): { statusCode: number } {
  return { statusCode: res.statusCode };
}

export function maskPath(path: string): string {
  return path.replace(/\+?\d{6,}/g, '<digits>');
}

const PERSONAL_FIELDS = ['address', 'phone', 'phoneNumber', 'from', 'to', 'chatId', 'text', 'body', 'vars', 'input'];
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-twilio-signature', 'x-telegram-bot-api-secret-token'];

/**
 * A second line of defence behind the serializers: if code ever logs an object with one of these
 * fields (at the top level or one level down) or raw request headers, pino censors the value.
 */
export const REDACT_PATHS: string[] = [
  ...PERSONAL_FIELDS,
  ...PERSONAL_FIELDS.map((f) => `*.${f}`),
  'req.body',
  'req.query',
  'req.params',
  'req.headers',
  'res.headers',
  ...SECRET_HEADERS.map((h) => `headers["${h}"]`),
  ...SECRET_HEADERS.map((h) => `*.headers["${h}"]`),
];
