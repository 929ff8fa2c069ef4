import type { Translate } from '../render.types';
import { buttonData, parseButtonData, renderTelegram, splitTelegramText } from './telegram.renderer';
import { telegramReplyMarkup } from './telegram.sender';

const texts: Record<string, string> = {
  'menu:prompt': 'Menu <Sira> & co',
  'menu:reparations': 'Réparations',
  'menu:help': 'Aide',
  'common:greeting': 'Bonjour {{name}}',
  'common:share_contact': 'Partager mon numéro',
  'callback:number.prompt': 'Écrivez le numéro à appeler',
  'callback:number.prompt_telegram': 'Écrivez le numéro à appeler, ou partagez votre contact',
};
/** like i18next: a `context` param picks `<key>_<context>` when there is one. */
const t: Translate = (key, params) =>
  (texts[`${key}_${params?.context}`] ?? texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params?.[p] ?? ''));

describe('renderTelegram', () => {
  it('turns choices into one button per row whose data names the question and the choice', () => {
    const [message] = renderTelegram(
      [{ text: 'menu:prompt', question: 7, choices: [{ id: 'reparations', label: 'menu:reparations' }, { id: 'help', label: 'menu:help' }] }],
      t,
    );
    expect(message.buttons).toEqual([
      { label: 'Réparations', data: 'q7:reparations' },
      { label: 'Aide', data: 'q7:help' },
    ]);
  });

  it('escapes HTML in the text, parameters included, and does not number the choices', () => {
    const messages = renderTelegram([{ text: 'menu:prompt' }, { text: 'common:greeting', params: { name: '<b>x</b>' } }], t);
    expect(messages).toEqual([
      { text: 'Menu &lt;Sira&gt; &amp; co', buttons: [] },
      { text: 'Bonjour &lt;b&gt;x&lt;/b&gt;', buttons: [] },
    ]);
  });

  it('refuses a choice id that would exceed the 64 bytes Telegram allows in button data', () => {
    expect(() => buttonData(12, 'x'.repeat(61))).toThrow(/longer than 64 bytes/);
    expect(buttonData(12, 'x'.repeat(60))).toHaveLength(64);
  });

  it('reads its own button data back and rejects anything else', () => {
    expect(parseButtonData('q12:reparations')).toEqual({ question: 12, choice: 'reparations' });
    expect(parseButtonData('q12')).toBeNull();
    expect(parseButtonData('12:reparations')).toBeNull();
  });
});

describe('splitTelegramText', () => {
  const para = (n: number, len: number) => `${n}`.padEnd(len, 'a');

  it('keeps a text that fits as one message', () => {
    expect(splitTelegramText('Bonjour & bienvenue')).toEqual(['Bonjour &amp; bienvenue']);
  });

  it('cuts a long text at paragraph boundaries, each part under the limit, nothing lost', () => {
    const raw = [para(1, 1500), para(2, 1500), para(3, 1500)].join('\n\n');
    const parts = splitTelegramText(raw);
    expect(parts).toEqual([`${para(1, 1500)}\n\n${para(2, 1500)}`, para(3, 1500)]);
    expect(parts.every((p) => p.length < 4096)).toBe(true);
  });

  it('falls back to lines, then words, then characters, and never splits an HTML escape', () => {
    expect(splitTelegramText('aaaa\nbbbb cccc', 9)).toEqual(['aaaa', 'bbbb cccc']);
    expect(splitTelegramText('aaaa bbbb cccc', 9)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitTelegramText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    const escaped = splitTelegramText('a&b&c', 6);
    expect(escaped.join('|')).not.toMatch(/&(?!amp;)/);
    expect(escaped.map((p) => p.replace(/&amp;/g, '&')).join('')).toBe('a&b&c');
  });

  it('puts the buttons under the last part of a long question only', () => {
    const long = ['x'.repeat(3000), 'y'.repeat(3000)].join('\n\n');
    const messages = renderTelegram([{ text: 'long', question: 1, choices: [{ id: 'a', label: 'menu:help' }] }], () => long);
    expect(messages.map((m) => m.buttons.length)).toEqual([0, 1]);
  });

  it("shows a text's Telegram variant when the content has one, and the plain text otherwise", () => {
    expect(renderTelegram([{ text: 'callback:number.prompt', question: 4, expects: 'phone' }, { text: 'menu:reparations' }], t).map((m) => m.text)).toEqual([
      'Écrivez le numéro à appeler, ou partagez votre contact',
      'Réparations',
    ]);
  });

  it('offers to share her own number under a question expecting a phone number, and only there', () => {
    const messages = renderTelegram([{ text: 'menu:prompt' }, { text: 'callback:number.prompt', question: 4, expects: 'phone' }], t);
    expect(messages).toEqual([
      { text: 'Menu &lt;Sira&gt; &amp; co', buttons: [] },
      { text: 'Écrivez le numéro à appeler, ou partagez votre contact', buttons: [], contactButton: 'Partager mon numéro' },
    ]);
    expect(telegramReplyMarkup(messages[1])).toEqual({
      keyboard: [[{ text: 'Partager mon numéro', request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
    // a message without a keyboard of its own takes away a share button still on screen
    expect(telegramReplyMarkup(messages[0])).toEqual({ remove_keyboard: true });
  });
});
