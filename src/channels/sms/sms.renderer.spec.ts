import type { Translate } from '../render.types';
import { renderSms, renderSmsMessages } from './sms.renderer';

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

  it('asks for a phone number with the text alone: no share button on SMS', () => {
    expect(renderSms([{ text: 'common:greeting', params: { name: 'Awa' }, question: 4, expects: 'phone' }], t)).toEqual(['Bonjour Awa']);
  });

  it('renders nothing for no output', () => {
    expect(renderSms([], t)).toEqual([]);
  });
});

describe('renderSmsMessages', () => {
  const bm: Record<string, string> = { 'menu:prompt': 'Sira ka menu. Nimɔrɔ dɔ ci:', 'menu:help': 'Dɛmɛ', 'menu:reparations': 'Tiɲɛni sara' };
  const tbm: Translate = (key) => bm[key] ?? key;
  const menu = [{ text: 'menu:prompt', question: 1, choices: [{ id: 'reparations', label: 'menu:reparations' }, { id: 'help', label: 'menu:help' }] }];

  it('applies the SMS spelling of her language and reports encoding and segments', () => {
    expect(renderSmsMessages(menu, tbm, { language: 'bm' })).toEqual([
      { text: 'Sira ka menu. Nimòrò dò ci:\n1 Tinyèni sara\n2 Dèmè', encoding: 'GSM-7', segments: 1 },
    ]);
  });

  it('leaves the text as written when the spelling is switched off for her language', () => {
    expect(renderSmsMessages(menu, tbm, { language: 'bm', spelling: [] })).toEqual([
      { text: 'Sira ka menu. Nimɔrɔ dɔ ci:\n1 Tiɲɛni sara\n2 Dɛmɛ', encoding: 'UCS-2', segments: 1 },
    ]);
  });
});
