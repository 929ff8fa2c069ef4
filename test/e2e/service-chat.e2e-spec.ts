/**
 * The whole service as a person runs it: the compiled service started as a process (embedded
 * PGlite in a temporary folder, the machine's Redis under its own prefix), driven by `npm run chat`
 * with conversations piped on standard input, then stopped with SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { applySmsSpelling, DEFAULT_SMS_SPELLING } from '../../src/common/sms-spelling';
import { openTestRedis, TEST_REDIS_URL } from '../conversations/redis-test.helper';
import { SERVER_URL } from '../db/test-databases';
import { localeText } from '../support/locale-text';
import { ensureBuilt, ROOT, runChat, RunningService, startService } from '../support/service-process';

jest.setTimeout(120_000);

const CANARY_NUMBER = '+22376999111';
const CANARY_TEXT = 'kanari-secret-mot-4711';

describe('the service started by the README command, driven by npm run chat', () => {
  let service: RunningService;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/main.js'))) ensureBuilt();
    service = await startService();
  });

  afterAll(async () => {
    if (service) await service.stop();
  });

  it('takes a French conversation to the reparations and testimony overviews and back home', () => {
    const { stdout, status } = runChat(service.url, ['Bonjour', '1', '1', '0', '2', 'menu']);
    expect(status).toBe(0);
    expect(stdout).toContain(localeText('fr', 'language:prompt'));
    // as sent by SMS: the French spelling folds letters outside GSM-7 (enquêter → enqueter)
    const sms = (key: string) => applySmsSpelling(localeText('fr', key), 'fr', DEFAULT_SMS_SPELLING);
    expect(stdout).toContain(sms('reparations:overview'));
    expect(stdout).toContain(sms('testimony:overview'));
    expect(stdout.split(localeText('fr', 'menu:prompt')).length - 1).toBe(3);
  });

  it('takes a Bambara conversation to the reparations and testimony overviews and back home', () => {
    const { stdout } = runChat(service.url, ['I ni ce', '2', '1', 'menu', '2', '0']);
    // The simulator shows each SMS as sent: after the Bambara SMS spelling (ɔ → ò, ɛ → è).
    const sms = (key: string) => applySmsSpelling(localeText('bm', key), 'bm', DEFAULT_SMS_SPELLING);
    expect(stdout).toContain(sms('menu:prompt'));
    expect(stdout).toContain(sms('reparations:overview'));
    expect(stdout).toContain(sms('testimony:overview'));
  });

  it('re-prompts a nonsense word with the valid choices, and answers help and back', () => {
    const { stdout } = runChat(service.url, ['Bonjour', '1', 'xyzzy', 'aide', 'retour']);
    const afterNonsense = stdout.slice(stdout.indexOf('> xyzzy'));
    expect(afterNonsense).toContain(localeText('fr', 'common:reprompt'));
    expect(afterNonsense).toContain(`1 ${localeText('fr', 'menu:reparations')}`);
    expect(stdout.slice(stdout.indexOf('> aide'))).toContain(localeText('fr', 'help:about'));
    expect(stdout.slice(stdout.indexOf('> retour'))).toContain(localeText('fr', 'menu:prompt'));
  });

  it('continues an earlier conversation when --from names it', () => {
    runChat(service.url, ['Bonjour', '3'], ['--from', 'sim-continue-1']);
    const { stdout } = runChat(service.url, ['1'], ['--from', 'sim-continue-1']);
    expect(stdout).toContain(localeText('en', 'reparations:overview'));
  });

  it('shows the Telegram rendering with buttons under the text', () => {
    const { stdout } = runChat(service.url, ['/start', '2'], ['--channel', 'telegram']);
    expect(stdout).toContain(`[ ${localeText('fr', 'language:name.bm')} ]`);
    expect(stdout).toContain(`[ ${localeText('bm', 'menu:reparations')} ]`);
  });

  it('prints what she would hear on a call with --channel voice, one key a line', () => {
    const { stdout, status } = runChat(service.url, ['1', '2'], ['--channel', 'voice']);
    expect(status).toBe(0);
    const [dial, one, two] = stdout.split(/^> .*$/m).slice(1);
    expect(dial).toContain(`[fr-FR] ${localeText('fr', 'voice:keys')}`);
    expect(dial).toContain(`[fr-FR] ${localeText('fr', 'language:prompt')}`);
    expect(one).toContain(`[fr-FR] ${localeText('fr', 'voice:texts.menu.prompt')}`);
    expect(one).toContain('(waits for one key)');
    expect(two).toContain(localeText('fr', 'testimony:overview').slice(0, 30));
  });

  it('never writes a phone number or a message body to its logs', () => {
    runChat(service.url, ['Bonjour', CANARY_TEXT, '1'], ['--from', CANARY_NUMBER]);
    expect(service.output()).not.toContain(CANARY_NUMBER);
    expect(service.output()).not.toContain(CANARY_NUMBER.slice(1));
    expect(service.output()).not.toContain(CANARY_TEXT);
  });

  it('answers a malformed simulator request with a 400 and no stack trace', async () => {
    const response = await fetch(`${service.url}/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"from": "sim-x", "text": ',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/at .*\.(js|ts):\d+/);
    const wrong = await fetch(`${service.url}/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'sim x!', text: 42 }),
    });
    expect(wrong.status).toBe(400);
  });

  it('answers an oversized request with a 413', async () => {
    const response = await fetch(`${service.url}/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'sim-big', text: 'a'.repeat(200_000) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('the simulator, a channel like the others', () => {
  it('answers with the reply its outbound queue sent, from a worker process while the web process only enqueues', async () => {
    if (!existsSync(join(ROOT, 'dist/src/main.js'))) ensureBuilt();
    // one database, one Redis prefix and one data folder (the development keys) for both processes
    const name = `sira_test_simchannel_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new Client({ connectionString: `${SERVER_URL}/postgres` });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`create database ${name}`);
    const redis = await openTestRedis('simchannel');
    const dataDir = mkdtempSync(join(tmpdir(), 'sira-e2e-simchannel-'));
    const env = { DATABASE_URL: `${SERVER_URL}/${name}`, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: redis.prefix };
    const started: RunningService[] = [];
    try {
      const web = await startService({ ...env, SIRA_ROLE: 'web' }, { dataDir });
      started.push(web);
      started.push(await startService({ ...env, SIRA_ROLE: 'worker' }, { dataDir }));
      const { stdout, status } = runChat(web.url, ['Bonjour', '1']);
      expect(status).toBe(0);
      expect(stdout).toContain(localeText('fr', 'language:prompt'));
      expect(stdout).toContain(applySmsSpelling(localeText('fr', 'menu:prompt'), 'fr', DEFAULT_SMS_SPELLING));
      // each turn's reply is one outbound row of the simulator channel, sent by the worker's sender
      const db = new Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      const rows = await db
        .query<{ status: string; provider: string; address_enc: string | null }>(`select status, provider, address_enc from outbound_messages where channel = 'simulator' order by created_at`)
        .finally(() => db.end());
      expect(rows.rows).toEqual([
        { status: 'sent', provider: 'simulator', address_enc: null },
        { status: 'sent', provider: 'simulator', address_enc: null },
      ]);
      // the page took what the outbox kept: nothing is left for the session
      expect((await redis.allKeys()).filter((k) => k.includes(':simulator:outbox:'))).toEqual([]);
    } finally {
      for (const service of started.reverse()) await service.stop('SIGTERM', true);
      await redis.close();
      rmSync(dataDir, { recursive: true, force: true });
      await admin(`drop database if exists ${name} with (force)`);
    }
  });
});

describe('the terminal chat without a service', () => {
  it('says how to start one', () => {
    const { stderr, status } = runChat('http://127.0.0.1:9', ['Bonjour']);
    expect(status).toBe(1);
    expect(stderr).toContain('npm start');
  });
});

describe('graceful shutdown', () => {
  it('exits cleanly within 10 s of SIGTERM, finishing a request in flight', async () => {
    if (!existsSync(join(ROOT, 'dist/src/main.js'))) ensureBuilt();
    const service = await startService();
    const inFlight = fetch(`${service.url}/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: 'sim-shutdown', text: 'Bonjour' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    const stopped = service.stop('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    const { code, ms } = await stopped;
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
  });
});

describe('start-up with broken content', () => {
  it('refuses to start and names the file, node and problem', async () => {
    if (!existsSync(join(ROOT, 'dist/src/main.js'))) ensureBuilt();
    const fixture = join(ROOT, 'test/fixtures/broken-flows/unknown-target');
    const started = startService({ FLOWS_DIR: join(fixture, 'flows'), LOCALES_DIR: join(fixture, 'locales') });
    await expect(started).rejects.toThrow('flows/menu.yaml: node "main": unknown target "@nowhere"');
  });
});

describe('start-up with an invalid setting', () => {
  it('names the variable and never echoes its value', async () => {
    if (!existsSync(join(ROOT, 'dist/src/main.js'))) ensureBuilt();
    const secret = 'not-a-url-but-a-secret-9931';
    const started = startService({ REDIS_URL: secret });
    await expect(started).rejects.toThrow('REDIS_URL');
    await expect(startService({ REDIS_URL: secret })).rejects.not.toThrow(secret);
  });
});
