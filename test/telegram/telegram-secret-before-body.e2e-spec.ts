import { request as httpRequest } from 'node:http';
import { WEBHOOK_SECRET, eventually, sleep, startTelegramApp, openTelegramTestEnv, type TelegramTestApp, type TelegramTestEnv } from './telegram-harness';
import { randomChatId, startUpdate } from './telegram-updates';

jest.setTimeout(60_000);

/**
 * The secret token is checked before the body is read (webhook-headers.middleware.ts): a stranger
 * must not make us parse 64 kB of JSON. A wrong or missing secret gets the controller's 401 whatever
 * the body (malformed, over the limit, or not even sent yet); the right secret still works.
 */
let env: TelegramTestEnv;
let tg: TelegramTestApp;

beforeAll(async () => {
  env = await openTelegramTestEnv('tgbody');
  tg = await startTelegramApp(env);
});

afterAll(async () => {
  await tg?.close();
  await env?.dispose();
});

/** 60 kB that no JSON parser accepts. */
const MALFORMED = `{"update_id": 1, "message": ${'{'.repeat(60 * 1024)}`;
const UNAUTHORIZED = { message: 'Unauthorized', statusCode: 401 };

function postRaw(body: string, secret: string | null, path = '/webhooks/telegram') {
  return fetch(`${tg.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    body,
  });
}

/** Sends the headers and only part of the announced body: answers only if the body is not awaited. */
function statusWithoutBody(secret: string | null, timeoutMs = 2_000): Promise<number | 'no answer'> {
  const url = new URL(`${tg.url}/webhooks/telegram`);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(60 * 1024), ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve('no answer');
    }, timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.write('{"update_id": 1, "message": {');
  });
}

describe('the Telegram secret, before the body', () => {
  it.each([
    ['a wrong', 'tg_secret_not_the_right_one'],
    ['a missing', null],
    ['an almost right', `${WEBHOOK_SECRET}x`],
  ])('answers 401 (not 400) to %s secret with 60 kB of malformed JSON', async (_what, secret) => {
    const res = await postRaw(MALFORMED, secret);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(UNAUTHORIZED);
  });

  it('answers 401 (not 413) to a wrong secret with a body over the limit', async () => {
    const res = await postRaw(`{"x":"${'a'.repeat(100 * 1024)}"}`, 'tg_secret_not_the_right_one');
    expect(res.status).toBe(401);
  });

  it('answers a wrong secret before the body has arrived', async () => {
    expect(await statusWithoutBody('tg_secret_not_the_right_one')).toBe(401);
    expect(await statusWithoutBody(null)).toBe(401);
  });

  it('matches the route as Express does (any case, trailing slash)', async () => {
    for (const path of ['/webhooks/telegram/', '/WEBHOOKS/Telegram']) {
      const res = await postRaw(MALFORMED, 'tg_secret_not_the_right_one', path);
      expect(res.status).toBe(401);
    }
  });

  it('gives the same answer as the controller did, and processes nothing, for a valid update with a wrong secret', async () => {
    const chat = randomChatId();
    const res = await tg.post(startUpdate(chat), 'tg_secret_not_the_right_one');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(UNAUTHORIZED);
    await sleep(300);
    expect(tg.fake.callsOf('sendMessage', chat)).toHaveLength(0);
    expect(await tg.contacts.findByAddress('telegram', String(chat))).toBeUndefined();
  });

  it('still reads the body once the secret is right: malformed JSON is a 400, an update is handled', async () => {
    expect((await postRaw(MALFORMED, WEBHOOK_SECRET)).status).toBe(400);
    const chat = randomChatId();
    const res = await tg.post(startUpdate(chat));
    expect(res.status).toBe(200);
    await eventually(() => tg.fake.callsOf('sendMessage', chat).length > 0, 10_000, 'a reply');
  });
});
