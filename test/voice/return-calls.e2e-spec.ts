import { TWILIO_VOICE_ANSWERED_PATH, TWILIO_VOICE_KEY_PATH, TWILIO_VOICE_STATUS_PATH } from '../../src/channels/twilio-voice/twilio-voice.paths';
import { ReturnCalls } from '../../src/channels/voice/return-calls.service';
import type { Clock } from '../../src/common/clock';
import { eventually, malianNumber, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { contentTexts, postTwilio, textAndWait } from '../sms/twilio-test.harness';
import { startApp, type TestApp } from '../support/app-harness';
import { FakeTwilioVoiceServer } from './fake-twilio-voice.server';
import { FakeCall, VOICE_NUMBER, callSid } from './voice-call.helpers';

jest.setTimeout(30_000);

/** The flash number: a call to it is rejected (free for her) and Sira calls her back. */
const FLASH_NUMBER = '+15005550010';
const HOUR = 3_600_000;

/**
 * The real clock moved to 10:00 in Bamako (UTC+0, no daylight saving) today, so the test runs inside
 * VOICE_CALL_HOURS whenever it runs; `shift` moves it by hours.
 */
class BamakoMorningClock implements Clock {
  private offset: number;
  constructor() {
    const now = Date.now();
    const day = new Date(now);
    this.offset = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 10) - now;
  }
  now(): number {
    return Date.now() + this.offset;
  }
  shift(ms: number): void {
    this.offset += ms;
  }
}

describe('return calls: a flash call is rejected and Sira calls her back (Twilio Calls API at a fake)', () => {
  const fake = new FakeTwilioVoiceServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const clock = new BamakoMorningClock();
  const fr = contentTexts().translator.t('fr');
  let app: TestApp;
  let returnCalls: ReturnCalls;

  const placedTo = (number: string) => fake.placed().filter((c) => c.to === number);
  /** She flashes the number: Twilio posts the signed call, and records it as it keeps it. */
  const flash = async (her: string) => {
    const call = new FakeCall(app, her, FLASH_NUMBER);
    fake.recordCall(call.sid, her, FLASH_NUMBER);
    return call.dial();
  };
  /** Every return call scheduled so far has been placed (or dropped): nothing is left to come. */
  const settled = () => eventually(async () => (await returnCalls.pending()) === 0, 10_000, 'the return-call queue to drain');
  const refusals = async (reason: string) => (await returnCalls.refusalsToday())[reason] ?? 0;

  beforeAll(async () => {
    await fake.start();
    app = await startApp({
      label: 'flash',
      twilio: fake,
      clock,
      env: {
        // two voice numbers: the return call leaves from the first
        TWILIO_VOICE_NUMBERS: `${VOICE_NUMBER},+15005550011`,
        VOICE_FLASH_NUMBERS: FLASH_NUMBER,
        VOICE_FLASH_DELAY_SECONDS: '0',
        VOICE_FLASH_COOLDOWN_MINUTES: '30',
        VOICE_CALL_HOURS: '07:00-21:00',
        // the last test fills the day's minutes with one finished call
        VOICE_DAILY_MINUTES: '1',
        PRIVACY_FORGET_DELAY_SECONDS: '0',
      },
    });
    returnCalls = app.get(ReturnCalls);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake.stop();
  });

  it('rejects a flash call and places exactly one call to her, from the first voice number, with machine detection', async () => {
    const her = malianNumber();
    expect((await flash(her)).rejected).toBe(true);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the return call');
    await settled();
    const [call, ...more] = placedTo(her);
    expect(more).toEqual([]);
    expect(call).toMatchObject({ from: VOICE_NUMBER, machineDetection: 'Enable', url: `https://sira.example.org${TWILIO_VOICE_ANSWERED_PATH}` });
    expect(call!.statusCallback).toBe(`https://sira.example.org${TWILIO_VOICE_STATUS_PATH}`);
  });

  it('a second flash within the cooldown is rejected and places no second call', async () => {
    const her = malianNumber();
    await flash(her);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the first return call');
    const cooldowns = await refusals('cooldown');
    expect((await flash(her)).rejected).toBe(true);
    expect(await refusals('cooldown')).toBe(cooldowns + 1);
    await settled();
    expect(placedTo(her)).toHaveLength(1);
  });

  it('a call whose answer from Twilio is lost (it may have rung) is not placed again', async () => {
    const her = malianNumber();
    fake.loseNextCallAnswer();
    await flash(her);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the return call');
    // an ambiguous failure is not retried: nothing is left in the queue (a retry would wait there)
    await settled();
    expect(placedTo(her)).toHaveLength(1);
  });

  it('never calls back a number that said STOP by SMS', async () => {
    const her = malianNumber();
    await textAndWait(app, fake, her, 'STOP');
    const stopped = await refusals('stopped');
    expect((await flash(her)).rejected).toBe(true);
    expect(await refusals('stopped')).toBe(stopped + 1);
    await settled();
    expect(placedTo(her)).toEqual([]);
  });

  it('never calls outside VOICE_CALL_HOURS (Africa/Bamako): at 22:00 the flash is rejected and no call is placed', async () => {
    const her = malianNumber();
    const outside = await refusals('hours');
    clock.shift(12 * HOUR);
    try {
      expect((await flash(her)).rejected).toBe(true);
    } finally {
      clock.shift(-12 * HOUR);
    }
    expect(await refusals('hours')).toBe(outside + 1);
    await settled();
    expect(placedTo(her)).toEqual([]);
  });

  describe('the return call is answered', () => {
    const her = malianNumber();
    /** Sira's call to her, as Twilio posts its webhooks: from Sira's voice number, to hers. */
    const answered = (answeredBy: string) => {
      const call = new FakeCall(app, VOICE_NUMBER, her);
      return { call, heard: call.post(TWILIO_VOICE_ANSWERED_PATH, call.params({ Direction: 'outbound-api', AnsweredBy: answeredBy })) };
    };

    it('by a machine: nothing is said or played, the call hangs up', async () => {
      const heard = await answered('machine_start').heard;
      expect(heard).toMatchObject({ said: [], played: [], action: undefined, hangup: true });
      expect(heard.xml).not.toMatch(/<(Say|Play|Gather|Record)\b/);
    });

    it('by a person: only the neutral greeting, in a Gather waiting for one key', async () => {
      const heard = await answered('human').heard;
      expect(heard.said).toEqual([fr('voice:greeting')]);
      expect(heard.said.join(' ')).not.toMatch(/Sira|CVJR|témoign|répar/i);
      expect(heard.played).toEqual([]);
      expect(heard.action).toBe(`${TWILIO_VOICE_KEY_PATH}?n=1&l=greet&s=0`);
      expect(heard.numDigits).toBe('1');
      expect(heard.hangup).toBe(false);
    });

    it('a key after the greeting opens the voice menus at their first prompt', async () => {
      const { call, heard } = answered('human');
      await heard;
      const first = await call.press('5');
      expect(first.said[0]).toBe(fr('voice:keys'));
      expect(first.said).toContain(fr('language:prompt'));
      expect(first.action).toBe(`${TWILIO_VOICE_KEY_PATH}?n=2&l=key&s=0`);
    });

    it('no key after the greeting: the call hangs up with nothing said', async () => {
      const { call, heard } = answered('human');
      await heard;
      const silence = await call.press('');
      expect(silence).toMatchObject({ said: [], played: [], action: undefined, hangup: true });
    });
  });

  it('erasing a voice contact deletes her calls at Twilio: hers, her flash and the return call', async () => {
    const her = malianNumber();
    const other = malianNumber();
    fake.recordCall(callSid(), other, VOICE_NUMBER);
    await flash(her);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the return call');
    const call = new FakeCall(app, her);
    fake.recordCall(call.sid, her, VOICE_NUMBER);
    await call.dial();
    // French, help, your data, erase my data, yes
    for (const key of ['1', '5', '4', '1']) await call.press(key);
    const done = await call.press('1');
    expect(done.said.join(' ')).toContain(fr('privacy:erased').slice(0, 20));
    const hers = () => fake.calls.filter((c) => c.from === her || c.to === her);
    expect(hers()).toHaveLength(3);
    await eventually(() => hers().every((c) => c.deleted), 15_000, 'her calls deleted at Twilio');
    expect(fake.calls.filter((c) => c.from === other).map((c) => c.deleted)).toEqual([false]);
  });

  it('over the day\'s minutes (VOICE_DAILY_MINUTES): the flash is rejected and no call is placed', async () => {
    const finished = await postTwilio(app, TWILIO_VOICE_STATUS_PATH, { CallSid: callSid(), AccountSid: TEST_ACCOUNT_SID, CallStatus: 'completed', CallDuration: '60', From: VOICE_NUMBER, To: malianNumber() });
    expect(finished.status).toBe(200);
    const her = malianNumber();
    const capped = await refusals('cap');
    expect((await flash(her)).rejected).toBe(true);
    expect(await refusals('cap')).toBe(capped + 1);
    await settled();
    expect(placedTo(her)).toEqual([]);
  });
});
