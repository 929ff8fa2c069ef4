import type { Clock } from '../../src/common/clock';
import { eventually, malianNumber, sleep, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { contentTexts, textAndWait } from '../sms/twilio-test.harness';
import { LogCapture, postTelegramUpdate, startApp, type TestApp } from '../support/app-harness';
import { randomChatId, textUpdate } from '../telegram/telegram-updates';
import { FakeTwilioVoiceServer } from './fake-twilio-voice.server';
import { VOICE_NUMBER } from './voice-call.helpers';

/** 10:00 in Bamako (UTC+0) today, on the real clock's pace: inside VOICE_CALL_HOURS whenever the test runs. */
class BamakoMorningClock implements Clock {
  private readonly offset: number;
  constructor() {
    const day = new Date();
    this.offset = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 10) - Date.now();
  }
  now(): number {
    return Date.now() + this.offset;
  }
}

/**
 * Issue 24 (b): by SMS the word APPEL / CALL, or the main menu's last choice, makes Sira call her back
 * into the voice menus, through the same ReturnCalls as a flash call. The real signed Twilio SMS webhook
 * in, the reply and the call out at one fake Twilio (Messages and Calls). Telegram has no number to call.
 */
describe('a return call asked by SMS (APPEL / CALL), and not by Telegram', () => {
  const fake = new FakeTwilioVoiceServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const logs = new LogCapture();
  const { translator } = contentTexts();
  const fr = translator.t('fr');
  let app: TestApp;
  const placedTo = (number: string) => fake.placed().filter((c) => c.to === number);

  beforeAll(async () => {
    await fake.start();
    app = await startApp({
      label: 'callsms',
      twilio: fake,
      telegram: true,
      clock: new BamakoMorningClock(),
      logs,
      // the debug line of each return call asked is written too: it must hold no number
      logLevel: 'debug',
      env: { TWILIO_VOICE_NUMBERS: VOICE_NUMBER, VOICE_FLASH_DELAY_SECONDS: '0', VOICE_FLASH_COOLDOWN_MINUTES: '30', VOICE_CALL_HOURS: '07:00-21:00' },
    });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await fake.stop();
  });

  it('APPEL gets one short SMS and one call is placed to her from the voice number; a second APPEL places none', async () => {
    const her = malianNumber();
    expect(await textAndWait(app, fake, her, 'APPEL')).toEqual([fr('listen:scheduled')]);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the return call');
    expect(placedTo(her)).toEqual([expect.objectContaining({ from: VOICE_NUMBER, machineDetection: expect.any(String) })]);

    expect(await textAndWait(app, fake, her, 'appel')).toEqual([fr('listen:cooldown')]);
    await sleep(300);
    expect(placedTo(her)).toHaveLength(1);
  });

  it('the SMS menu offers "Écouter par téléphone" last (7), and 7 asks for the call', async () => {
    const her = malianNumber();
    await textAndWait(app, fake, her, 'Bonjour');
    const [menu] = await textAndWait(app, fake, her, '1');
    expect(menu).toContain(`\n6 ${fr('menu:language')}\n7 ${fr('menu:listen')}`);
    expect(await textAndWait(app, fake, her, '7')).toEqual([fr('listen:scheduled')]);
    await eventually(() => placedTo(her).length > 0, 10_000, 'the return call');
    expect(placedTo(her)).toHaveLength(1);
  });

  it('by Telegram, CALL gets the short reply and the menu (without the choice), and no call is placed', async () => {
    const chat = randomChatId();
    const callsBefore = fake.placed().length;
    const res = await postTelegramUpdate(app.url, textUpdate(chat, 'CALL'));
    expect(res.status).toBe(200);
    await eventually(() => app.telegram!.callsOf('sendMessage', chat).length >= 2, 10_000, 'the replies');
    const texts = app.telegram!.callsOf('sendMessage', chat).map((c) => String(c.params.text));
    expect(texts[0]).toContain(fr('listen:unavailable'));
    expect(JSON.stringify(app.telegram!.callsOf('sendMessage', chat).at(-1)!.params.reply_markup)).not.toContain(fr('menu:listen'));
    await sleep(300);
    expect(fake.placed()).toHaveLength(callsBefore);
  });

  it('never logs her number or her words', () => {
    const text = logs.text();
    expect(text).toContain('return call asked by message: scheduled');
    for (const call of fake.placed()) expect(text).not.toContain(call.to.slice(1));
    expect(text).not.toMatch(/APPEL|"CALL"/);
  });
});
