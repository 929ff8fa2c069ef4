import { join } from 'node:path';
import { loadContent } from '../src/content/content.loader';
import { createTranslator } from '../src/content/i18n';
import type { Output, Session } from '../src/engine/engine.types';
import { step } from '../src/engine/step';

/** What the shipped content promises a woman, checked on the real flows and texts. */
const ROOT = join(__dirname, '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const translator = createTranslator(content.resources, { base: content.base, languages: content.languages });
const LANGS = { fr: '1', bm: '2', en: '3' } as const;
let now = Date.UTC(2026, 0, 15, 9);

function say(session: Session | null, text: string) {
  now += 60_000;
  return step(content.flowSet, session, { kind: 'text', text }, { now });
}
function inLanguage(lng: keyof typeof LANGS): Session {
  return say(say(null, 'Bonjour').session, LANGS[lng]).session;
}
const texts = (lng: string, outputs: Output[]) => outputs.map((o) => translator.t(lng)(o.text, o.params));

describe('shipped content: safety', () => {
  it.each([
    ['fr', "Aidez-moi, j'ai peur"],
    ['fr', 'je suis en DANGER'],
    ['bm', 'n dɛmɛ'],
    ['bm', 'N DEME'],
    ['en', 'please help me'],
  ] as const)('%s: a distress word anywhere in a message ("%s") leads to the safety answer and a callback offer', (lng, words) => {
    const inReparations = say(inLanguage(lng), '1').session;
    const reply = say(inReparations, words);
    expect(reply.outputs.map((o) => o.text)).toEqual(['safety:danger', 'safety:not_emergency', 'safety:menu.prompt']);
    expect(reply.outputs[2].choices?.[0]).toEqual({ id: 'callback', label: 'safety:menu.callback' });
    expect(content.flowSet.flows.safety.nodes.safety_menu).toMatchObject({ choices: expect.arrayContaining([{ id: 'callback', label: 'safety:menu.callback', go: '@callback/urgent' }]) });
  });

  it('answers a distress word even as the very first message, before any language is chosen', () => {
    expect(say(null, 'au secours').outputs[0].text).toBe('safety:danger');
  });

  it.each(['fr', 'bm', 'en'] as const)('%s: the quick-exit word gets a neutral reply naming nothing, and ends the conversation', (lng) => {
    const word = lng === 'fr' ? 'merci' : lng === 'bm' ? 'barika' : 'thanks';
    const reply = say(say(inLanguage(lng), '4').session, word);
    const [text] = texts(lng, reply.outputs);
    expect(reply.outputs).toHaveLength(1);
    expect(text).not.toMatch(/sira|danger|farati|violence|r[ée]paration/i);
    expect(reply.session.ended).toBe(true);
    expect(say(reply.session, '1').outputs[0].text).toBe('menu:prompt');
  });

  it('says it is not an emergency service, promises no response time and gives no legal advice, in every language', () => {
    expect(translator.t('fr')('safety:not_emergency')).toBe(
      "Sira n'est pas un service d'urgence et ne promet aucun délai de réponse. Sira ne donne pas de conseil juridique.",
    );
    for (const lng of ['bm', 'en', 'ff', 'ses', 'taq']) expect(translator.has(lng, 'safety:not_emergency')).toBe(true);
  });
});

describe('shipped content: what may be seen over her shoulder', () => {
  const SENSITIVE = /viol|sexu|rape|muso min[ɛe]/i;
  const labels = Object.values(content.flowSet.flows).flatMap((f) =>
    Object.values(f.nodes).flatMap((n) => (n.type === 'menu' ? n.choices.map((c) => c.label) : [])),
  );

  it.each(content.languages.map((l) => l.code))('%s: no menu label and not the first message names sexual violence', (lng) => {
    const t = translator.t(lng);
    expect(labels.map((k) => t(k)).filter((s) => SENSITIVE.test(s))).toEqual([]);
    expect(texts(lng, say(null, 'Bonjour').outputs).filter((s) => SENSITIVE.test(s))).toEqual([]);
  });
});

describe('shipped content: reparations', () => {
  const MONEY = { fr: "ne demandent jamais d'argent", bm: 'tɛ wari ɲini abada', en: 'never ask for money' };

  it.each(['fr', 'bm', 'en'] as const)('%s: every reparations reply says Sira and its staff never ask for money', (lng) => {
    const menu = say(inLanguage(lng), '1');
    expect(texts(lng, menu.outputs).join('\n')).toContain(MONEY[lng]);
    const choices = menu.outputs.at(-1)?.choices ?? [];
    for (let i = 1; i <= choices.length; i++) {
      if (['callback', 'home'].includes(choices[i - 1].id)) continue;
      const reply = say(menu.session, String(i));
      expect(texts(lng, reply.outputs).join('\n')).toContain(MONEY[lng]);
    }
  });

  it('states the decree amount exactly as the fact sheet does, with no payment confirmed', () => {
    expect(translator.t('fr')('reparations:amount')).toContain("4 800 000 FCFA au total pour la famille qui hérite d'une personne tuée ou disparue");
    expect(translator.t('fr')('reparations:amount')).toContain("Sira n'a pas trouvé d'information publique sur les autres montants, ni sur des paiements déjà faits.");
    expect(translator.t('en')('reparations:amount')).toContain('4,800,000 FCFA in total for the family who inherits from a person killed or disappeared');
  });

  it('never asks her to tell what happened: no flow asks for free text outside the callback flow', () => {
    const asks = Object.values(content.flowSet.flows).flatMap((f) => Object.values(f.nodes).filter((n) => n.type === 'ask').map(() => f.id));
    expect(asks.filter((f) => f !== 'callback')).toEqual([]);
  });
});
