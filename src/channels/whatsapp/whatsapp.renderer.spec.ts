import type { Output, Translate } from '../render.types';
import { choiceReplyId, parseChoiceReplyId, renderWhatsApp, splitWhatsAppText, WHATSAPP_LIMITS } from './whatsapp.renderer';

const texts: Record<string, string> = {
  'menu:prompt': 'Que voulez-vous faire ?',
  'menu:reparations': 'Réparations',
  'menu:help': 'Aide',
  'menu:long': 'Demander qu’une personne me rappelle',
  'common:whatsapp_list_button': 'Choisir',
  'common:greeting': 'Bonjour {{name}}',
  'callback:sms.prompt': 'Peut-on vous envoyer un SMS court ?',
  'callback:sms.prompt_whatsapp': 'Peut-on vous envoyer un court message WhatsApp ?',
  'callback:sms.no': 'Non, pas de SMS',
  'callback:sms.no_whatsapp': 'Non, aucun message',
  'callback:sms.yes': 'Oui',
};
/** like i18next: a `context` param picks `<key>_<context>` when there is one. */
const t: Translate = (key, params) => (texts[`${key}_${params?.context}`] ?? texts[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params?.[p] ?? ''));

const choices = (n: number, label = 'menu:help') => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, label }));

describe('renderWhatsApp', () => {
  it("shows a text's and a label's WhatsApp wording where there is one (context `whatsapp`), the plain text otherwise", () => {
    const outputs: Output[] = [{ text: 'callback:sms.prompt', question: 7, choices: [{ id: 'no', label: 'callback:sms.no' }, { id: 'yes', label: 'callback:sms.yes' }] }];
    expect(renderWhatsApp(outputs, t)).toEqual([
      { type: 'buttons', text: 'Peut-on vous envoyer un court message WhatsApp ?', buttons: [{ id: 'q7:no', title: 'Non, aucun message' }, { id: 'q7:yes', title: 'Oui' }] },
    ]);
  });

  it('sends a text without choices as one text message, parameters filled in', () => {
    expect(renderWhatsApp([{ text: 'common:greeting', params: { name: 'Awa' } }], t)).toEqual([{ type: 'text', text: 'Bonjour Awa' }]);
  });

  it('turns up to three short choices into reply buttons whose ids name the question and the choice', () => {
    const [message] = renderWhatsApp(
      [{ text: 'menu:prompt', question: 7, choices: [{ id: 'reparations', label: 'menu:reparations' }, { id: 'help', label: 'menu:help' }] }],
      t,
    );
    expect(message).toEqual({
      type: 'buttons',
      text: 'Que voulez-vous faire ?',
      buttons: [
        { id: 'q7:reparations', title: 'Réparations' },
        { id: 'q7:help', title: 'Aide' },
      ],
    });
  });

  it('turns four to ten choices into a list of at most 10 rows with titles of at most 24 characters', () => {
    for (const n of [4, 10]) {
      const [message] = renderWhatsApp([{ text: 'menu:prompt', question: 3, choices: choices(n, 'menu:long') }], t);
      if (message.type !== 'list') throw new Error('expected a list');
      expect(message.rows).toHaveLength(n);
      expect(message.button).toBe('Choisir');
      for (const row of message.rows) {
        expect([...row.title].length).toBeLessThanOrEqual(WHATSAPP_LIMITS.rowTitle);
        expect(row.description).toBe('Demander qu’une personne me rappelle');
      }
      expect(message.rows[0]!.title.endsWith('…')).toBe(true);
    }
  });

  it('makes a list, not a cut button, when a label of a short menu is longer than 20 characters', () => {
    const [message] = renderWhatsApp([{ text: 'menu:prompt', question: 1, choices: [{ id: 'a', label: 'menu:help' }, { id: 'b', label: 'menu:long' }] }], t);
    expect(message.type).toBe('list');
  });

  it('keeps every button title within 20 characters', () => {
    const [message] = renderWhatsApp([{ text: 'menu:prompt', question: 1, choices: choices(3) }], t);
    if (message.type !== 'buttons') throw new Error('expected buttons');
    expect(message.buttons.every((b) => [...b.title].length <= WHATSAPP_LIMITS.buttonTitle)).toBe(true);
  });

  it('numbers the choices in the text past ten, as on SMS', () => {
    const [message] = renderWhatsApp([{ text: 'menu:prompt', question: 1, choices: choices(11) }], t);
    expect(message).toEqual({ type: 'text', text: expect.stringMatching(/^Que voulez-vous faire \?\n1 Aide\n2 Aide[\s\S]*\n11 Aide$/) });
  });

  it('sends the start of a long question as text and its last part (within 1024) with the buttons', () => {
    const long = `${'Une phrase assez longue. '.repeat(60)}\n\nChoisissez :`;
    const output: Output = { text: 'x', question: 1, choices: choices(2) };
    const messages = renderWhatsApp([output], (key) => (key === 'x' ? long : t(key)));
    expect(messages.length).toBeGreaterThan(1);
    const last = messages[messages.length - 1]!;
    expect(last.type).toBe('buttons');
    expect(last.text.length).toBeLessThanOrEqual(WHATSAPP_LIMITS.interactiveBody);
    expect(messages.slice(0, -1).every((m) => m.type === 'text')).toBe(true);
  });
});

describe('reply ids', () => {
  it('reads its own ids back and rejects anything else', () => {
    expect(parseChoiceReplyId(choiceReplyId(12, 'reparations'))).toEqual({ question: 12, choice: 'reparations' });
    expect(parseChoiceReplyId('q12')).toBeNull();
    expect(parseChoiceReplyId('12:reparations')).toBeNull();
    expect(parseChoiceReplyId('q1:<script>')).toBeNull();
  });
});

describe('splitWhatsAppText', () => {
  it('cuts at paragraph, then line, then word boundaries, never over the limit', () => {
    const text = `${'a'.repeat(30)}\n\n${'b '.repeat(40)}\n${'c'.repeat(90)}`;
    const parts = splitWhatsAppText(text, 50);
    expect(parts.every((p) => [...p].length <= 50)).toBe(true);
    expect(parts[0]).toBe('a'.repeat(30));
    expect(parts.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });
});
