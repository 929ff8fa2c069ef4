import type { Translate } from '../render.types';
import { renderSms } from './sms.renderer';

const texts: Record<string, string> = {
  'menu:prompt': 'Menu Sira. Répondez par un numéro :',
  'menu:reparations': 'Réparations',
  'menu:help': 'Aide',
  'common:greeting': 'Bonjour {{name}}',
};
const t: Translate = (key, params) =>
  (texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params?.[p] ?? ''));

describe('renderSms', () => {
  it('appends the choices as numbered lines starting at 1', () => {
    const sms = renderSms(
      [{ text: 'menu:prompt', question: 3, choices: [{ id: 'reparations', label: 'menu:reparations' }, { id: 'help', label: 'menu:help' }] }],
      t,
    );
    expect(sms).toEqual(['Menu Sira. Répondez par un numéro :\n1 Réparations\n2 Aide']);
  });

  it('sends one SMS per output, a plain message without any added line', () => {
    const sms = renderSms([{ text: 'common:greeting', params: { name: 'Awa' } }, { text: 'menu:prompt', choices: [] }], t);
    expect(sms).toEqual(['Bonjour Awa', 'Menu Sira. Répondez par un numéro :']);
  });

  it('renders nothing for no output', () => {
    expect(renderSms([], t)).toEqual([]);
  });
});
