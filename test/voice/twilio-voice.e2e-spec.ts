import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_PATH, TWILIO_VOICE_STATUS_PATH } from '../../src/channels/twilio-voice/twilio-voice.paths';
import { AnonymousCountsRepository, AnonymousMetric } from '../../src/privacy/anonymous-counts.repository';
import { RecordingsService } from '../../src/recordings/recordings.service';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { writeTone } from '../recordings/test-tones';
import { createTestDatabase, deleteRedisPrefix, malianNumber, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, testPrefix } from '../sms/sms-test.helpers';
import { contentTexts, postTwilio, startSmsApp, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { FakeCall, VOICE_NUMBER, callSid } from './voice-call.helpers';

describe('voice: the same flows by phone call (Twilio Voice, signed webhooks)', () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const prefix = testPrefix('voice');
  const fr = contentTexts().translator.t('fr');
  let db: { url: string; drop(): Promise<void> };
  let app: RunningSmsApp;
  let menuAudio: string;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('voice');
    app = await startSmsApp(prefix, db.url, twilioEnv(fake, { TWILIO_VOICE_NUMBERS: VOICE_NUMBER }));
    // a test recording of the French main menu, as a translator would upload it (draft: the test gate)
    const dir = mkdtempSync(join(tmpdir(), 'sira-voice-'));
    await writeTone(join(dir, 'menu.wav'));
    await app.app.get(RecordingsService).store('fr', 'voice:texts.menu.prompt', readFileSync(join(dir, 'menu.wav')), 'Test (traductrice)');
    rmSync(dir, { recursive: true, force: true });
    menuAudio = (await app.app.get(RecordingsService).playable('fr', 'voice:texts.menu.prompt'))!.phonePath;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  it('answers a call with the language menu, one key at a time, # arriving as a key', async () => {
    const call = new FakeCall(app, malianNumber());
    const first = await call.dial();
    expect(first.said[0]).toBe(fr('voice:keys'));
    expect(first.said).toContain(fr('language:prompt'));
    expect(first.said).toEqual(expect.arrayContaining(['Français', 'appuyez sur 1']));
    expect(first.numDigits).toBe('1');
    expect(first.finishOnKey).toBe('');
    expect(first.action).toBe(`${TWILIO_VOICE_KEY_PATH}?n=1&l=key&s=0`);
  });

  it('plays the recorded menu and reads its choices with their SMS numbers; 2 opens the second choice', async () => {
    const call = new FakeCall(app, malianNumber());
    await call.dial();
    const menu = await call.press('1');
    expect(menu.played).toEqual([`https://sira.example.org${menuAudio}`]);
    expect(menu.said.slice(0, 4)).toEqual([fr('menu:reparations'), 'appuyez sur 1', fr('menu:testimony'), 'appuyez sur 2']);
    const testimony = await call.press('2');
    expect(testimony.said.join(' ')).toContain(fr('testimony:overview').slice(0, 30));
  });

  it('0 is the main menu, * repeats, # goes back, 9 offers a person', async () => {
    const call = new FakeCall(app, malianNumber());
    await call.dial();
    await call.press('1');
    await call.press('2');
    expect((await call.press('0')).played).toEqual([`https://sira.example.org${menuAudio}`]);
    const again = await call.press('*');
    expect(again.played).toEqual([`https://sira.example.org${menuAudio}`]);
    // back: to the question before the main menu, the testimony menu she came from
    expect((await call.press('#')).said).toContain(fr('testimony:menu.prompt'));
    const person = await call.press('9');
    expect(person.said.join(' ')).toContain(fr('callback:consent.notice').slice(0, 40));
  });

  it('no key: the question again, then the offer of a person, then a goodbye and the call ends', async () => {
    const call = new FakeCall(app, malianNumber());
    await call.dial();
    await call.press('1');
    const once = await call.press('');
    expect(once.played).toEqual([`https://sira.example.org${menuAudio}`]);
    expect(once.action).toMatch(/s=1$/);
    const twice = await call.press('');
    expect(twice.said.join(' ')).toContain(fr('callback:consent.notice').slice(0, 40));
    const thrice = await call.press('');
    expect(thrice.said).toEqual([fr('voice:goodbye')]);
    expect(thrice.hangup).toBe(true);
  });

  it('a number is typed up to #, in the one Gather that finishes on #', async () => {
    const call = new FakeCall(app, malianNumber());
    await call.dial();
    await call.press('1');
    await call.press('9');
    await call.press('1'); // consent: yes
    const topic = call.last!;
    expect(topic.numDigits).toBe('1');
    // topic, call language, time, days, voicemail, sms, then "this number?": 2 → another number
    for (const key of ['1', '1', '1', '1', '1', '1']) await call.press(key);
    const ask = await call.press('2');
    expect(ask.said).toContain(fr('voice:texts.callback.number.prompt'));
    expect(ask.finishOnKey).toBe('#');
    expect(ask.numDigits).toBeUndefined();
  });

  it('the same key press delivered twice moves her once: the second gets the question again', async () => {
    const call = new FakeCall(app, malianNumber());
    await call.dial();
    const action = call.last!.action!;
    const first = await call.post(action, call.params({ Digits: '1' }));
    const second = await call.post(action, call.params({ Digits: '1' }));
    expect(first.played).toEqual([`https://sira.example.org${menuAudio}`]);
    expect(second.played).toEqual([`https://sira.example.org${menuAudio}`]);
    expect(second.said).not.toContain(fr('language:prompt'));
  });

  it('refuses a forged or missing signature (403), an unknown number (404) and a malformed form (400), without a stack', async () => {
    const params = new FakeCall(app, malianNumber()).params();
    expect((await postTwilio(app, TWILIO_VOICE_PATH, params, { signature: 'A'.repeat(27) + '=' })).status).toBe(403);
    expect((await postTwilio(app, TWILIO_VOICE_PATH, params, { signature: null })).status).toBe(403);
    const tampered = await postTwilio(app, `${TWILIO_VOICE_KEY_PATH}?n=5&l=key&s=0`, { ...params, Digits: '1' }, { signature: undefined });
    expect(tampered.status).toBe(200);
    const { twilioSignature } = await import('../sms/twilio-test.harness');
    const signedForOther = twilioSignature(`${TWILIO_VOICE_KEY_PATH}?n=5&l=key&s=0`, { ...params, Digits: '1' });
    expect((await postTwilio(app, `${TWILIO_VOICE_KEY_PATH}?n=6&l=key&s=0`, { ...params, Digits: '1' }, { signature: signedForOther })).status).toBe(403);
    const other = await postTwilio(app, TWILIO_VOICE_PATH, { ...params, To: '+15005550001' });
    expect(other.status).toBe(404);
    const bad = await postTwilio(app, TWILIO_VOICE_PATH, { ...params, CallSid: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/CallSid/);
    expect(bad.text).not.toMatch(/\bat \S+\.(ts|js):\d+/);
  });

  it('does not take a withheld or foreign caller: <Reject/>, not answered, not billed', async () => {
    expect((await new FakeCall(app, 'anonymous').dial()).rejected).toBe(true);
    expect((await new FakeCall(app, '+33612345678').dial()).rejected).toBe(true);
  });

  it('counts finished calls and their minutes, with no number and no call id kept', async () => {
    const counts = app.app.get(AnonymousCountsRepository);
    const before = await counts.total(AnonymousMetric.VoiceSeconds, 'voice');
    const res = await postTwilio(app, TWILIO_VOICE_STATUS_PATH, { CallSid: callSid(), AccountSid: TEST_ACCOUNT_SID, CallStatus: 'completed', CallDuration: '75', From: malianNumber(), To: VOICE_NUMBER });
    expect(res.status).toBe(200);
    expect(await counts.total(AnonymousMetric.VoiceSeconds, 'voice')).toBe(before + 75);
    expect(await counts.total(AnonymousMetric.VoiceCalls, 'voice')).toBeGreaterThanOrEqual(1);
  });
});
