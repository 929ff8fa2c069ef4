import type { Translate } from '../render.types';
import { buttonData, parseButtonData, renderTelegram } from './telegram.renderer';

const texts: Record<string, string> = {
  'menu:prompt': 'Menu <Sira> & co',
  'menu:reparations': 'Réparations',
  'menu:help': 'Aide',
  'common:greeting': 'Bonjour {{name}}',
};
const t: Translate = (key, params) =>
  (texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params?.[p] ?? ''));

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
