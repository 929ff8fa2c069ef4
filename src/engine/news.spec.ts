import { join } from 'node:path';
import { loadContent } from '../content/content.loader';
import type { EngineEvent } from './engine.types';
import { START_FR, play, type ScriptCase, type ScriptTurn } from './engine.test-script';

/**
 * Issue 26, news subscriptions, against the real content (flows/news.yaml, common:commands.news /
 * stop_news, the main menu's and the topic answers' last choice): her explicit consent, with the figures
 * the shell reports, leads to one `news_subscribed` event; STOP NOUVELLES / STOP NEWS to `news_stopped`;
 * discreet mode asks first; the keep-it question's yes to `news_renewed`. Facts as the shell reports them
 * (src/broadcasts/subscription-turns.ts).
 */
const ROOT = join(__dirname, '..', '..');
const flowSet = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') }).flowSet;

const SMS = { news: 'yes', news_sms: 'yes', news_max: '2', news_months: '6' };
const CHAT = { news: 'yes', news_max: '2', news_months: '6' };
const SUBSCRIBED = (topic: string): EngineEvent[] => [{ type: 'news_subscribed', topic, consentVersion: 'news-2026-12' }];
const STOPPED_ALL: EngineEvent[] = [{ type: 'news_stopped' }];
const START_BM: ScriptTurn[] = [{ send: 'i ni ce', says: ['language:prompt'] }, { send: '2', says: ['menu:prompt'], at: 'menu/main' }];
const START_EN: ScriptTurn[] = [{ send: 'hello', says: ['language:prompt'] }, { send: '3', says: ['menu:prompt'], at: 'menu/main' }];

const cases: ScriptCase[] = [
  { name: 'fr, by the main menu: the topic, the SMS consent with its figures, yes: one event, the confirmation awaiting it', facts: SMS, turns: [...START_FR,
    { send: '7', says: ['news:choose.prompt'], at: 'news/choose' },
    { send: '1', says: ['news:consent.sms', 'news:consent.reparations'], at: 'news/reparations_consent',
      check: (r) => expect(r.outputs[0]?.params).toEqual({ news_max: '2', news_months: '6' }) },
    { send: '1', says: ['news:subscribed', 'menu:prompt'], events: SUBSCRIBED('reparations'), at: 'menu/main',
      check: (r) => expect(r.outputs[0]?.awaits).toBe(0) }] },
  { name: 'fr, by the word NOUVELLES from inside another question; no means nothing stored', facts: SMS, turns: [...START_FR, { send: '2' },
    { send: 'NOUVELLES', says: ['news:choose.prompt'], at: 'news/choose' },
    { send: '2', says: ['news:consent.sms', 'news:consent.testimony'] },
    { send: '2', says: ['menu:prompt'], events: [], at: 'menu/main' }] },
  { name: 'en, by the word NEWS: a chat channel reads "message", not SMS', facts: CHAT, turns: [...START_EN,
    { send: 'news', says: ['news:choose.prompt'] },
    { send: '2', says: ['news:consent.chat', 'news:consent.testimony'] },
    { send: 'yes', says: ['news:subscribed', 'menu:prompt'], events: SUBSCRIBED('testimony') }] },
  { name: 'en, by the menu', facts: SMS, turns: [...START_EN, { send: '7', says: ['news:choose.prompt'] }, { send: '1' },
    { send: '1', events: SUBSCRIBED('reparations') }] },
  { name: 'bm: the same menu path (French texts by the content fallback), and the French word', facts: SMS, turns: [...START_BM,
    { send: '7', says: ['news:choose.prompt'] }, { send: '1', says: ['news:consent.sms', 'news:consent.reparations'] },
    { send: '1', events: SUBSCRIBED('reparations') },
    { send: 'nouvelles', says: ['news:choose.prompt'] }] },
  { name: 'at the end of the reparations answers: straight to that topic\'s consent', facts: SMS, turns: [...START_FR,
    { send: '1' }, { send: '5', at: 'reparations/how_to_apply_next' },
    { send: '4', says: ['news:consent.sms', 'news:consent.reparations'] }, { send: '1', events: SUBSCRIBED('reparations') }] },
  { name: 'at the end of the testimony answers', facts: CHAT, turns: [...START_FR,
    { send: '2' }, { send: '3', at: 'testimony/testimony_next' },
    { send: '4', says: ['news:consent.chat', 'news:consent.testimony'] }, { send: '1', events: SUBSCRIBED('testimony') }] },
  { name: 'STOP NOUVELLES and STOP NEWS: every topic, said once the shell has ended them', facts: { ...SMS, news_subscribed: 'yes', news_reparations: 'yes' }, turns: [...START_FR,
    { send: 'STOP NOUVELLES', says: ['news:stopped', 'menu:prompt'], events: STOPPED_ALL, at: 'menu/main', check: (r) => expect(r.outputs[0]?.awaits).toBe(0) },
    { send: 'stop news', events: STOPPED_ALL }] },
  { name: 'already subscribed to the topic: the offer to stop it (that topic only)', facts: { ...SMS, news_subscribed: 'yes', news_reparations: 'yes' }, turns: [...START_FR,
    { send: '7', says: ['news:choose.prompt'], check: (r) => expect(r.outputs[0]?.choices?.map((c) => c.id)).toEqual(['reparations', 'testimony', 'home', 'stop']) },
    { send: '1', says: ['news:already'] }, { send: '1', says: ['news:stopped_topic', 'menu:prompt'], events: [{ type: 'news_stopped', topic: 'reparations' }] }] },
  { name: 'STOP is still the full stop, not the news one', facts: SMS, turns: [...START_FR,
    { send: 'STOP', events: [{ type: 'opted_out' }] }] },
  { name: 'discreet mode: told first; keeping it stores nothing', facts: { ...SMS, discreet: 'yes' }, turns: [...START_FR,
    { send: 'NOUVELLES' }, { send: '1', says: ['news:discreet.prompt'], events: [] },
    { send: '2', says: ['menu:prompt'], events: [] }] },
  { name: 'discreet mode: switching lets Sira write first, then the consent as usual', facts: { ...SMS, discreet: 'yes' }, turns: [...START_FR,
    { send: 'NOUVELLES' }, { send: '2', says: ['news:discreet.prompt'] },
    { send: '1', says: ['news:consent.sms', 'news:consent.testimony'], events: [{ type: 'proactive_changed', allow: true }] },
    { send: '1', events: SUBSCRIBED('testimony') }] },
  { name: 'the keep-it question answered days later: NOUVELLES, then yes renews', facts: { ...SMS, news_subscribed: 'yes', news_reparations: 'yes', news_renewal: 'yes' }, turns: [...START_FR,
    { send: 'NOUVELLES', after: 10 * 86_400_000, says: ['common:expired', 'news:renewal.prompt'], at: 'news/renewal' },
    { send: '1', says: ['news:renewed', 'menu:prompt'], events: [{ type: 'news_renewed' }] }] },
  { name: 'the keep-it question: no ends the news now', facts: { ...SMS, news_subscribed: 'yes', news_testimony: 'yes', news_renewal: 'yes' }, turns: [...START_EN,
    { send: 'NEWS', says: ['news:renewal.prompt'] }, { send: '2', says: ['news:stopped', 'menu:prompt'], events: STOPPED_ALL }] },
  { name: 'without the fact `news` (a phone call) the menu has no news choice; the word still leads to the topics', turns: [...START_FR,
    { send: 'hi', check: (r) => expect(r.outputs.at(-1)?.choices?.map((c) => c.id)).not.toContain('news') },
    { send: '7', says: ['common:reprompt'] }] },
];

describe('news subscriptions (engine, real content)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    play({ ...c, flowSet });
  });
});
