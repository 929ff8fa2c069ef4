import { applySmsSpelling } from '../../src/common/sms-spelling';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { startSmsApp, textAndWait, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { localeText } from '../support/locale-text';
import { openTelegramTestEnv, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from '../telegram/telegram-harness';
import { randomChatId, startUpdate, textUpdate } from '../telegram/telegram-updates';

jest.setTimeout(90_000);

/** A code as the confirmation shows it: six symbols of the unambiguous alphabet. */
const CODE = /\b([A-HJKMNP-Z2-9]{6})\b/;
/** Staff hours by default (CALLBACK_STAFF_HOURS / _DAYS): the soonest window of an urgent request. */
const STAFF_WINDOW = { days: [1, 2, 3, 4, 5, 6], fromMinute: 8 * 60, toMinute: 18 * 60 };
const URGENT = { topic: 'safety', urgent: true, status: 'pending', voicemailSafe: false, smsSafe: false };

describe('issue 19 §2: from distress to an urgent request in at most three replies, by SMS', () => {
  const prefix = testPrefix('urgsms');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: RunningSmsApp;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('urgsms');
    app = await startSmsApp(prefix, db.url, twilioEnv(fake));
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  async function say(from: string, body: string): Promise<string> {
    return (await textAndWait(app, fake, from, body)).join('\n');
  }
  const fr = (key: string) => applySmsSpelling(localeText('fr', key), 'fr', ['bm', 'fr']);

  async function storedFor(her: string, confirmation: string) {
    const code = CODE.exec(confirmation)?.[1];
    expect(code).toBeDefined();
    const contact = await app.app.get(ContactsRepository).findByAddress('sms', her);
    return app.app.get(CallbackRequestsRepository).findByRef(contact!.id, code!);
  }

  it('calls back the number she writes from after two replies: "a person calls me back", "yes, this number"', async () => {
    const her = malianNumber();
    await say(her, 'Bonjour');
    await say(her, '1');
    expect(await say(her, 'il me frappe')).toContain(fr('safety:menu.prompt'));
    const notice = await say(her, '1');
    expect(notice).toContain(fr('callback:urgent.notice').replace('{{kept_days}}', '90'));
    expect(notice).toContain(`1 ${fr('callback:urgent.own')}`);
    const confirmation = await say(her, '1');
    expect(confirmation).toContain(fr('callback:registered').split('{{')[0]!);
    const stored = await storedFor(her, confirmation);
    expect(stored).toMatchObject({ ...URGENT, callLanguage: 'fr' });
    expect(stored!.windows).toEqual([STAFF_WINDOW]);
    expect(await app.app.get(CallbackRequestsRepository).revealNumber(stored!.id)).toBe(her);
  });

  it('calls another number after three replies: "a person calls me back", "another number", the number', async () => {
    const her = malianNumber();
    await say(her, 'Bonjour');
    await say(her, '1');
    await say(her, 'SOS');
    await say(her, '1');
    expect(await say(her, '2')).toBe(fr('callback:number.prompt'));
    const confirmation = await say(her, '66 12 34 56');
    const stored = await storedFor(her, confirmation);
    expect(stored).toMatchObject({ ...URGENT, callLanguage: 'fr' });
    expect(await app.app.get(CallbackRequestsRepository).revealNumber(stored!.id)).toBe('+22366123456');
  });
});

describe('issue 19 §2: the urgent request on Telegram, typed number', () => {
  let env: TelegramTestEnv;
  let tg: TelegramTestApp;

  beforeAll(async () => {
    env = await openTelegramTestEnv('urgtg');
    tg = await startTelegramApp(env, {});
  });

  afterAll(async () => {
    await tg?.close();
    await env?.dispose();
  });

  const texts = (chat: number) => tg.fake.callsOf('sendMessage', chat).map((c) => String(c.params.text));

  async function post(chat: number, update: unknown): Promise<string[]> {
    const before = texts(chat).length;
    expect((await tg.post(update)).status).toBe(200);
    await eventually(() => texts(chat).length > before, 10_000, 'a reply');
    await new Promise((r) => setTimeout(r, 400));
    return texts(chat).slice(before);
  }

  it('registers it in three replies: "a person calls me back", "yes", the number', async () => {
    const chat = randomChatId();
    await post(chat, startUpdate(chat));
    await post(chat, textUpdate(chat, '3'));
    await post(chat, textUpdate(chat, 'au secours'));
    const notice = await post(chat, textUpdate(chat, '1'));
    expect(notice.join('\n')).toContain(localeText('en', 'callback:urgent.notice').replace('{{kept_days}}', '90'));
    await post(chat, textUpdate(chat, '1'));
    const confirmation = (await post(chat, textUpdate(chat, '76 12 34 56'))).join('\n');
    const code = CODE.exec(confirmation)?.[1];
    expect(code).toBeDefined();
    const contact = await tg.contacts.findByAddress('telegram', String(chat));
    const stored = await tg.app.get(CallbackRequestsRepository).findByRef(contact!.id, code!);
    expect(stored).toMatchObject({ ...URGENT, callLanguage: 'en', channel: 'telegram' });
    expect(stored!.windows).toEqual([STAFF_WINDOW]);
  });
});
