import { join } from 'node:path';
import { loadContent } from '../../src/content/content.loader';
import { createTranslator } from '../../src/content/i18n';
import { step } from '../../src/engine/step';
import type { Input, Output, Session } from '../../src/engine/engine.types';
import { renderSmsMessages } from '../../src/channels/sms/sms.renderer';
import { renderTelegram } from '../../src/channels/telegram/telegram.renderer';

/**
 * Issue 19 §8: a Fulfulde, Songhay or Tamasheq speaker is told once, in French and with her language's
 * own name, that the rest is in French, and is offered the callback first, before any mixed menu.
 */
const ROOT = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
const PARTIAL = [
  { code: 'ff', pick: '4' },
  { code: 'ses', pick: '5' },
  { code: 'taq', pick: '6' },
];

/** Plays her messages through the real engine; returns the outputs of each turn and the last session. */
function converse(texts: string[]): { turns: Output[][]; session: Session } {
  let session: Session | null = null;
  const turns: Output[][] = [];
  let now = Date.UTC(2026, 0, 15, 9);
  for (const text of texts) {
    const input: Input = { kind: 'text', text };
    const result = step(content.flowSet, session, input, { now: (now += 60_000) });
    session = result.session;
    turns.push(result.outputs);
  }
  return { turns, session: session! };
}

function sms(outputs: Output[], language: string) {
  return renderSmsMessages(outputs, translator.t(language), { language, sourceOf: translator.sourceOf });
}

/** Her language as it names itself (locales/<code>/language.json), spelled the French SMS way. */
function ownName(code: string): string {
  return translator.t(code)(`language:name.${code}`);
}

describe.each(PARTIAL)('a $code speaker choosing her language', ({ code, pick }) => {
  const { turns } = converse(['Bonjour', pick, '2', 'menu', 'langue', pick]);
  const [, chosen, menu] = turns;

  it('gets, right after the native note, a French notice naming her language, then the callback offer first', () => {
    const texts = sms(chosen, code).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toBe(translator.t(code)(`language:pending.${code}`));
    // the French SMS spelling: ç → c, and ŋ (in "Soŋay") → ng
    const notice = texts[1];
    expect(notice.startsWith(`${ownName(code).replace('ŋ', 'ng')} : la suite de Sira est en francais.`)).toBe(true);
    expect(notice).toContain("Vous pouvez demander qu'une personne vous rappelle");
    expect(notice.split('\n').slice(1)).toEqual(["1 Demander qu'on me rappelle", '2 Menu principal (en francais)']);
  });

  it('gets the notice by SMS in GSM-7, within 2 segments', () => {
    const notice = sms(chosen, code)[1];
    expect(notice).toMatchObject({ encoding: 'GSM-7' });
    expect(notice.segments).toBeLessThanOrEqual(2);
  });

  it('gets the same notice on Telegram with the callback as the first button', () => {
    const [, notice] = renderTelegram(chosen, translator.t(code));
    expect(notice.text).toContain(`${ownName(code)} : la suite de Sira est en français.`);
    expect(notice.buttons.map((b) => b.label)).toEqual(["Demander qu'on me rappelle", 'Menu principal (en français)']);
  });

  it('sees the main menu only after the notice, and the notice is not repeated there', () => {
    expect(menu.map((o) => o.text)).toEqual(['menu:prompt']);
    const later = turns.slice(2, 4).flat().map((o) => o.text);
    expect(later).not.toContain(`language:partial.${code}`);
  });

  it('is offered the callback first: choice 1 starts the callback request', () => {
    const { turns: callback } = converse(['Bonjour', pick, '1']);
    expect(callback[2].map((o) => o.text).some((k) => k.startsWith('callback:'))).toBe(true);
  });
});

describe('no partial notice for a language Sira is written in', () => {
  it.each([['fr', '1'], ['bm', '2'], ['en', '3']])('%s goes straight to the main menu', (_code, pick) => {
    const { turns } = converse(['Bonjour', pick]);
    expect(turns[1].map((o) => o.text)).toEqual(['menu:prompt']);
  });
});
