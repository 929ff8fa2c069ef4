import { applySmsSpelling } from '../../src/common/sms-spelling';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, malianNumber, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from './sms-test.helpers';
import { contentTexts, startSmsApp, textAndWait, twilioEnv, type RunningSmsApp } from './twilio-test.harness';

jest.setTimeout(90_000);

/**
 * §3 of issue 19: the call windows and days she is offered by SMS come from CALLBACK_STAFF_HOURS /
 * CALLBACK_STAFF_DAYS. One app per staff schedule, each a real AppModule behind signed Twilio webhooks.
 */
describe('callback questions by SMS offer only the windows and days staff hours cover', () => {
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  const { translator } = contentTexts();
  const fr = (key: string) => applySmsSpelling(translator.t('fr')(key), 'fr', ['bm', 'fr']);
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(() => fake.start());
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await fake.stop();
  });

  async function appWith(env: Record<string, string>): Promise<RunningSmsApp> {
    const prefix = testPrefix('windows');
    const db = await createTestDatabase('windows');
    const app = await startSmsApp(prefix, db.url, twilioEnv(fake, env));
    cleanups.push(async () => {
      await app.close();
      await deleteRedisPrefix(prefix);
      await db.drop();
    });
    return app;
  }

  async function say(app: RunningSmsApp, from: string, body: string): Promise<string> {
    return (await textAndWait(app, fake, from, body)).join('\n');
  }

  /** The numbered lines under the last SMS that holds `prompt`. */
  function choicesAfter(sms: string, prompt: string): string[] {
    const tail = sms.slice(sms.lastIndexOf(prompt) + prompt.length);
    return tail.split('\n').filter((line) => /^\d+ /.test(line));
  }

  /** French, then "talk to a person", then the first choice of each question until the time question. */
  async function reachTimeQuestion(app: RunningSmsApp, from: string): Promise<string> {
    await say(app, from, 'Bonjour');
    const menu = await say(app, from, '1');
    const callback = menu.split('\n').find((line) => line.endsWith(` ${fr('menu:callback')}`))!;
    let reply = await say(app, from, callback.split(' ')[0]);
    for (let i = 0; i < 6 && !reply.includes(fr('callback:time.prompt')); i++) reply = await say(app, from, '1');
    expect(reply).toContain(fr('callback:time.prompt'));
    return reply;
  }

  it('with the default staff hours (08:00-18:00, Monday to Saturday): no evening, no Sunday, no "every day"', async () => {
    const app = await appWith({});
    const from = malianNumber();
    const time = await reachTimeQuestion(app, from);
    expect(choicesAfter(time, fr('callback:time.prompt'))).toEqual([`1 ${fr('callback:time.morning')}`, `2 ${fr('callback:time.afternoon')}`]);
    // a number past the shown ones is not the hidden evening
    expect(await say(app, from, '3')).toContain(fr('common:reprompt'));
    expect(await say(app, from, 'soir')).toContain(fr('common:reprompt'));
    const days = await say(app, from, '2');
    expect(choicesAfter(days, fr('callback:days.prompt'))).toEqual([`1 ${fr('callback:days.monday_saturday')}`, `2 ${fr('callback:days.weekdays')}`]);
  });

  it('with staff every day 07:00-21:00: every window, and "every day" without "Monday to Saturday"', async () => {
    const app = await appWith({ CALLBACK_STAFF_HOURS: '07:00-21:00', CALLBACK_STAFF_DAYS: '1-7' });
    const from = malianNumber();
    const time = await reachTimeQuestion(app, from);
    expect(choicesAfter(time, fr('callback:time.prompt'))).toEqual(
      ['morning', 'afternoon', 'evening'].map((part, i) => `${i + 1} ${fr(`callback:time.${part}`)}`));
    const days = await say(app, from, '3');
    expect(choicesAfter(days, fr('callback:days.prompt'))).toEqual(
      ['any', 'weekdays', 'weekend'].map((set, i) => `${i + 1} ${fr(`callback:days.${set}`)}`));
  });
});
