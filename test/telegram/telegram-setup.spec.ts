import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { FakeTelegramServer } from '../fakes/fake-telegram.server';
import { ROOT } from '../support/service-process';
import { eventually, openTelegramTestEnv, startTelegramApp, type TelegramTestEnv } from './telegram-harness';
import { randomChatId, startUpdate } from './telegram-updates';

jest.setTimeout(60_000);

const TOKEN = `123456789:${randomBytes(24).toString('base64url')}`;
const SECRET = `cli_secret_${randomBytes(8).toString('hex')}`;

/** Runs the CLI as a process (asynchronously: the fake Bot API answers from this process). */
function runCli(fake: FakeTelegramServer, env: Record<string, string>, args: string[] = []) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'npx',
      ['tsx', 'src/cli/telegram-set-webhook.cli.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: fake.url, ...env } },
      (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run telegram:set-webhook', () => {
  let fake: FakeTelegramServer;
  beforeAll(async () => (fake = await new FakeTelegramServer().start()));
  afterAll(() => fake.stop());

  it('registers PUBLIC_BASE_URL/webhooks/telegram with the secret and the three update types, printing neither secret nor token', async () => {
    const run = await runCli(fake, { PUBLIC_BASE_URL: 'https://sira.example.org/', TELEGRAM_WEBHOOK_SECRET: SECRET });
    expect(run.status).toBe(0);
    const [call] = fake.callsOf('setWebhook');
    expect(call!.token).toBe(TOKEN);
    expect(call!.params).toMatchObject({
      url: 'https://sira.example.org/webhooks/telegram',
      secret_token: SECRET,
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
    });
    expect(run.stdout).toContain('https://sira.example.org/webhooks/telegram');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain(TOKEN.split(':')[1]);
  });

  it('refuses to register a webhook without a secret', async () => {
    const before = fake.callsOf('setWebhook').length;
    const run = await runCli(fake, { PUBLIC_BASE_URL: 'https://sira.example.org' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('TELEGRAM_WEBHOOK_SECRET');
    expect(fake.callsOf('setWebhook')).toHaveLength(before);
  });

  it('removes the webhook with --delete', async () => {
    const run = await runCli(fake, {}, ['--delete']);
    expect(run.status).toBe(0);
    expect(fake.callsOf('deleteWebhook')).toHaveLength(1);
  });
});

describe('TELEGRAM_MODE=polling', () => {
  let env: TelegramTestEnv;
  beforeAll(async () => (env = await openTelegramTestEnv('tgpoll')));
  afterAll(() => env.dispose());

  it('fetches updates by long polling, answers them, and has no webhook route', async () => {
    const tg = await startTelegramApp(env, { TELEGRAM_MODE: 'polling' });
    try {
      const chat = randomChatId();
      tg.fake.queueUpdate(startUpdate(chat));
      await eventually(() => tg.fake.callsOf('sendMessage', chat).length > 0, 10_000, 'a reply');
      expect(tg.fake.callsOf('getUpdates')[0]!.params.allowed_updates).toEqual(['message', 'callback_query', 'my_chat_member']);
      expect((await tg.post(startUpdate(chat))).status).toBe(404);
    } finally {
      await tg.close();
    }
  });
});
