import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { voiceTwiml } from '../../src/channels/twilio-voice/voice-twiml';
import { VoiceCalls } from '../../src/channels/voice/voice-calls.service';
import { voiceKey, voicePrompt, type VoiceSpeech } from '../../src/channels/voice/voice-prompt';
import type { Output } from '../../src/engine/engine.types';
import { essentialKeys } from '../../src/recordings/essential-keys';
import { writeTone } from '../recordings/test-tones';
import { createTestDatabase, deleteRedisPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { contentTexts, PUBLIC_BASE_URL, startSmsApp, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { everyNodeOutput } from './every-node';
import { heard, VOICE_NUMBER } from './voice-call.helpers';
import { compiledCli } from '../support/cli';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
/** The language given test recordings here: English has texts of its own (Bambara texts await native speakers). */
const RECORDED = 'en';

/**
 * The TwiML of every node of every flow, as Twilio would receive it: in French (Twilio's French voice reads
 * the French texts) and in a language whose essential prompts were imported with `npm run audio:import`
 * (each plays its recording, served by Sira; the rest falls back to the French text, never to a French
 * voice reading English). No prompt ever records her.
 */
describe('voice: every node of every flow as TwiML', () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const prefix = testPrefix('voice_nodes');
  const { content, translator } = contentTexts();
  const fr = translator.t('fr');
  let db: { url: string; drop(): Promise<void> };
  let app: RunningSmsApp;
  let speech: VoiceSpeech;
  let imported: string;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('voice_nodes');
    app = await startSmsApp(prefix, db.url, twilioEnv(fake, { TWILIO_VOICE_NUMBERS: VOICE_NUMBER }));
    // one generated tone, filed as every essential prompt of the language, as a translator's folder would be
    const folder = mkdtempSync(join(tmpdir(), 'sira-voice-nodes-'));
    await writeTone(join(folder, 'tone.wav'), { seconds: 1 });
    for (const key of essentialKeys(RECORDED, translator)) {
      const [ns, path] = key.split(':');
      mkdirSync(join(folder, RECORDED, ns), { recursive: true });
      cpSync(join(folder, 'tone.wav'), join(folder, RECORDED, ns, `${path}.wav`));
    }
    rmSync(join(folder, 'tone.wav'));
    const [node, importCli] = compiledCli('audio-import');
    const cli = await run(node, [...importCli, folder, '--by', 'Test (voix générée)'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url } });
    imported = cli.stdout;
    rmSync(folder, { recursive: true, force: true });
    speech = await app.app.get(VoiceCalls).speech();
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  const twiml = (language: string, output: Output) => heard(voiceTwiml(voicePrompt(speech, language, [output]), (listen) => `${PUBLIC_BASE_URL}/webhooks/twilio/voice/key?n=1&l=${listen}&s=0`));

  /** A menu takes one key (# arriving as a key), a question digits up to #, anything else ends the call. */
  function expectListening(where: string, output: Output, h: ReturnType<typeof heard>): void {
    const expected = output.choices ? 'key:1:' : output.question !== undefined ? 'number::#' : 'hangup';
    const got = h.hangup ? 'hangup' : `${h.action?.match(/l=(\w+)/)?.[1]}:${h.numDigits ?? ''}:${h.finishOnKey ?? ''}`;
    expect(`${where}: ${got}`).toBe(`${where}: ${expected}`);
    expect(`${where}: ${/<Record\b/.test(h.xml)}`).toBe(`${where}: false`);
  }

  it('imports the generated recordings with audio:import, which makes the language one that can be heard', () => {
    expect(imported).toContain(`${essentialKeys(RECORDED).length} added, 0 replaced, 0 unchanged, 0 refused`);
    expect(speech.offered(RECORDED)).toBe(true);
  });

  it('in French, every node is read by the French voice and waits for what it asks', () => {
    for (const [where, output] of everyNodeOutput(content)) {
      const h = twiml('fr', output);
      expect(`${where}: ${h.said.length > 0 && h.played.length === 0}`).toBe(`${where}: true`);
      expect(h.xml).not.toMatch(/<Say(?![^>]*language="fr-FR")[^>]*>/);
      if (output.text !== 'language:prompt') output.choices?.forEach((_, i) => expect(h.said).toContain(fr(`voice:press.${i + 1}`)));
      expectListening(where, output, h);
    }
  });

  it('in the recorded language, every node plays its recordings and falls back only to French texts', async () => {
    const urls = new Set<string>();
    for (const [where, output] of everyNodeOutput(content)) {
      const h = twiml(RECORDED, output);
      expect(`${where}: ${h.said.length + h.played.length > 0}`).toBe(`${where}: true`);
      const keys = [output.text, ...(output.choices ?? []).flatMap((c, i) => [c.label, `voice:press.${i + 1}`]), 'voice:goodbye'];
      const heardKeys = keys.map((k) => voiceKey(k, speech, RECORDED));
      const recorded = heardKeys.filter((k) => essentialKeys(RECORDED, translator).includes(k) && speech.t(RECORDED)(k, output.params) === speech.t(RECORDED)(k));
      for (const key of recorded) expect(`${where}: ${h.played.includes(speech.audio(RECORDED, key)!)}`).toBe(`${where}: true`);
      const frenchTexts = keys.map((k) => fr(voiceKey(k, speech, 'fr'), output.params));
      for (const said of h.said) expect(`${where}: ${frenchTexts.includes(said)}`).toBe(`${where}: true`);
      expectListening(where, output, h);
      h.played.forEach((url) => urls.add(url));
    }
    expect(urls.size).toBe(1); // one generated tone filed under every key: stored once, by the hash of its bytes
    for (const url of urls) {
      // Twilio fetches each <Play> from Sira itself: the phone MP3, by the hash of its bytes
      const res = await fetch(url.replace(PUBLIC_BASE_URL, app.url));
      expect(`${url}: ${res.status} ${res.headers.get('content-type')}`).toBe(`${url}: 200 audio/mpeg`);
      await res.arrayBuffer();
    }
  });

});
