import { applySmsSpelling } from '../../src/common/sms-spelling';
import { CallbackRequestsRepository } from '../../src/callbacks/callback-requests.repository';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { FakeTwilioServer } from '../fakes/fake-twilio.server';
import { createTestDatabase, deleteRedisPrefix, eventually, malianNumber, testPrefix, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../sms/sms-test.helpers';
import { startSmsApp, textAndWait, twilioEnv, type RunningSmsApp } from '../sms/twilio-test.harness';
import { localeText } from '../support/locale-text';
import { keyboardOf, openTelegramTestEnv, startTelegramApp, type TelegramTestApp, type TelegramTestEnv } from '../telegram/telegram-harness';
import { callbackUpdate, contactUpdate, randomChatId, startUpdate, textUpdate } from '../telegram/telegram-updates';

jest.setTimeout(90_000);

const STAFF_CHAT = '-1009876543210';
/** A code as the confirmation shows it: six symbols of the unambiguous alphabet. */
const CODE = /\b([A-HJKMNP-Z2-9]{6})\b/;

describe('a callback request in Bambara through the Twilio SMS webhook', () => {
  const prefix = testPrefix('cbsms');
  const fake = new FakeTwilioServer(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: RunningSmsApp;

  beforeAll(async () => {
    await fake.start();
    db = await createTestDatabase('cbsms');
    app = await startSmsApp(prefix, db.url, twilioEnv(fake));
  });

  afterAll(async () => {
    await app?.close();
    await fake.stop();
    await deleteRedisPrefix(prefix);
    await db?.drop();
  });

  async function say(from: string, body: string): Promise<string[]> {
    return textAndWait(app, fake, from, body);
  }

  it('stores topic, window and language, and texts the code of the committed row', async () => {
    const her = malianNumber();
    // hello, Bambara, talk to a person, consent, "not safe now", call in Bambara, afternoon, Monday to Saturday,
    // voicemail yes, SMS yes, then "yes, call this number"
    for (const body of ['I ni ce', '2', '3']) await say(her, body);
    const notice = await say(her, '1');
    expect(notice.join('\n')).toContain(applySmsSpelling(localeText('bm', 'callback:topic.prompt'), 'bm', ['bm', 'fr']));
    for (const body of ['5', '2', '2', '1', '2', '2']) await say(her, body);
    const confirmation = (await say(her, '1')).join('\n');
    const code = CODE.exec(confirmation.split('\n')[0]!)?.[1];
    expect(code).toBeDefined();

    const contact = await app.app.get(ContactsRepository).findByAddress('sms', her);
    const stored = await app.app.get(CallbackRequestsRepository).findByRef(contact!.id, code!);
    expect(stored).toMatchObject({ topic: 'safety', urgent: true, callLanguage: 'bm', status: 'pending', voicemailSafe: true, smsSafe: true });
    expect(stored!.windows).toEqual([{ days: [1, 2, 3, 4, 5, 6], fromMinute: 12 * 60, toMinute: 17 * 60 }]);
    expect(await app.app.get(CallbackRequestsRepository).revealNumber(stored!.id)).toBe(her);

    // a second request from the same number shows the open one
    const again = (await say(her, '3')).join('\n');
    expect(again).toContain(code!);
    expect(again).toContain(applySmsSpelling(localeText('bm', 'menu:prompt'), 'bm', ['bm', 'fr']));
  });
});

describe('a callback request in Bambara through Telegram updates', () => {
  let env: TelegramTestEnv;
  let tg: TelegramTestApp;

  beforeAll(async () => {
    env = await openTelegramTestEnv('cbtg');
    tg = await startTelegramApp(env, { CALLBACK_STAFF_TELEGRAM_CHAT_ID: STAFF_CHAT });
  });

  afterAll(async () => {
    await tg?.close();
    await env?.dispose();
  });

  const sent = (chat: number) => tg.fake.callsOf('sendMessage', chat);
  const texts = (chat: number) => sent(chat).map((c) => String(c.params.text));

  async function post(update: unknown, expectMore = true): Promise<void> {
    const chat = update as { message?: { chat: { id: number } }; callback_query?: { from: { id: number } } };
    const id = chat.message?.chat.id ?? chat.callback_query!.from.id;
    const before = sent(id).length;
    expect((await tg.post(update)).status).toBe(200);
    if (expectMore) await eventually(() => sent(id).length > before, 10_000, 'a reply');
    await new Promise((r) => setTimeout(r, 400));
  }

  async function tap(chat: number, key: string): Promise<void> {
    const label = localeText('bm', key);
    const withKeyboard = sent(chat).filter((c) => keyboardOf(c).length > 0);
    const button = keyboardOf(withKeyboard[withKeyboard.length - 1]!).find((b) => b.text === label);
    if (!button) throw new Error(`no button "${label}" on the last keyboard`);
    await post(callbackUpdate(chat, button.callback_data));
  }

  it('stores it with her shared contact, tells her the code, and tells staff only "urgent: yes"', async () => {
    const chat = randomChatId();
    await post(startUpdate(chat));
    await tap(chat, 'language:name.bm');
    await tap(chat, 'menu:callback');
    await tap(chat, 'callback:consent.yes');
    await tap(chat, 'callback:topic.safety');
    await tap(chat, 'language:name.bm');
    await tap(chat, 'callback:time.afternoon');
    await tap(chat, 'callback:days.weekdays');
    await tap(chat, 'callback:voicemail.no');
    await tap(chat, 'callback:sms.no');
    expect(texts(chat).at(-1)).toBe(localeText('bm', 'callback:number.prompt_telegram'));
    // the question offers a reply-keyboard button sharing her own contact (typing still works)
    expect(sent(chat).at(-1)!.params.reply_markup).toEqual({
      keyboard: [[{ text: localeText('bm', 'common:share_contact'), request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
    const asked = sent(chat).length;
    await post(contactUpdate(chat, '+223 76 12 34 56', chat));
    // the next message takes the button away
    expect(sent(chat)[asked]!.params.reply_markup).toEqual({ remove_keyboard: true });

    const confirmation = texts(chat).find((t) => t.startsWith(localeText('bm', 'callback:registered').split('{{')[0]!));
    const code = CODE.exec(confirmation ?? '')?.[1];
    expect(code).toBeDefined();
    const contact = await tg.contacts.findByAddress('telegram', String(chat));
    const stored = await tg.app.get(CallbackRequestsRepository).findByRef(contact!.id, code!);
    expect(stored).toMatchObject({ topic: 'safety', urgent: true, callLanguage: 'bm', channel: 'telegram', voicemailSafe: false, smsSafe: false });
    expect(stored!.windows).toEqual([{ days: [1, 2, 3, 4, 5], fromMinute: 12 * 60, toMinute: 17 * 60 }]);
    expect(await tg.app.get(CallbackRequestsRepository).revealNumber(stored!.id)).toBe('+22376123456');

    await eventually(() => tg.fake.calls.some((c) => c.method === 'sendMessage' && String(c.params.chat_id) === STAFF_CHAT), 10_000, 'staff notice');
    const staff = tg.fake.calls.filter((c) => c.method === 'sendMessage' && String(c.params.chat_id) === STAFF_CHAT).map((c) => c.params.text);
    expect(staff).toEqual(['Nouvelle demande de rappel — urgente : oui']);

    // the status word + code from another chat finds nothing
    const other = randomChatId();
    await post(textUpdate(other, `DABILA ${code}`));
    expect(texts(other)).toEqual([localeText('fr', 'callback:not_found').replace('{{code}}', code!)]);
    expect((await tg.app.get(CallbackRequestsRepository).findById(stored!.id))!.status).toBe('pending');
  });
});
