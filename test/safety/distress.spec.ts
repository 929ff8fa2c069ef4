import { join } from 'node:path';
import { offeredChoiceFacts, parseStaffHours } from '../../src/callbacks/call-windows';
import { loadContent } from '../../src/content/content.loader';
import { answersDistressAfterStop } from '../../src/conversations/conversation.turn';
import type { Session, StepResult } from '../../src/engine/engine.types';
import { step } from '../../src/engine/step';

/**
 * Issue 19 §1: distress is heard wherever she is. The real flows and the real lexicon
 * (`common:commands.safety` of every language), a table of phrasings × the states she can be in.
 */
const ROOT = join(__dirname, '..', '..');
const content = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
const facts = offeredChoiceFacts([parseStaffHours('08:00-18:00', '1-6')]);
let now = Date.UTC(2026, 0, 15, 9);

function say(session: Session | null, text: string): StepResult {
  now += 60_000;
  return step(content.flowSet, session, { kind: 'text', text }, { now, facts });
}
function walk(...texts: string[]): Session | null {
  let s: Session | null = null;
  for (const t of texts) s = say(s, t).session;
  return s;
}
const at = (s: Session | null) => `${s?.at.flow}/${s?.at.node}`;

/** Where she can be when she writes, each checked to stand where its name says. */
const STATES: Array<[string, () => Session | null, string | null]> = [
  ['first message', () => null, null],
  ['language question', () => walk('Bonjour'), 'language/choose'],
  ['main menu', () => walk('Bonjour', '1'), 'menu/main'],
  ['mid-reparations', () => walk('Bonjour', '1', '1'), 'reparations/reparations_menu'],
  ['callback consent question', () => walk('Bonjour', '1', '3'), 'callback/consent'],
  ['callback phone-number question', () => walk('Bonjour', '1', '3', '1', '1', '1', '1', '1', '1', '1'), 'callback/ask_number'],
  ['after STOP', () => walk('Bonjour', '1', 'STOP'), null],
];

/** Phrasings in French and English (heard in every language), with folding, typos and Bambara's own words. */
const DISTRESS = [
  'au secours', 'AU SECOURS !!!', 'auuu secoooours', 'au secour', 'SOS', 'sos svp',
  'il me frappe', 'Il me frape tous les jours', 'mon mari me bat', 'ils me frappent',
  'il va me tuer', 'ils vont me tuer', 'il veut me tuer',
  'urgent', "c'est urgent", 'urgnet', 'urgence',
  "on m'a violée", 'on m a violee', "j'ai été violée",
  "j'ai très peur de lui", "j'ai peur", 'jai peur', 'j ai peur', "J'AI PEURRRR", 'peur de mon mari',
  'je suis en danger', 'je suis en danjer', 'en danger',
  'aidez-moi', 'aidez moi svp', 'aide-moi', 'à l’aide',
  'on me menace', 'il me menace de mort', 'je ne suis pas en sécurité', 'on me suit',
  'help me', 'please help me', 'he hits me', 'he will kill me', 'I am scared', 'I was raped', 'not safe here',
  'n dɛmɛ', 'N DEME',
];

/** Ordinary sentences that must not open the safety answer. */
const ORDINARY = [
  'aide', 'AIDE', 'help', 'bonjour', 'merci beaucoup pour les informations', "quand vais-je recevoir l'argent",
  "combien d'argent pour les victimes", 'est-ce que je peux danser', 'je fais le ménage', 'je veux manger',
  'la peur des autres ne m’arrête pas', 'la peur des autres ne m arrete pas', 'mon mari a été tué en 2012',
  'les victimes de la crise', 'je veux témoigner', 'comment donner mon témoignage', 'qui décide des réparations',
  'je suis à Mopti', 'je suis déplacée depuis 2013', 'je parle bambara', 'je ne sais pas lire',
  'mon frère a disparu', 'où est le bureau', 'quels papiers faut-il', 'je voudrais des nouvelles',
  'appelez moi demain matin', "c'est mon numéro", 'ma fille va à l’école', 'nous sommes à Bamako',
  'la commission a fini', 'les audiences publiques', 'je ne comprends pas', 'répétez svp', 'oui', 'non',
  'what is the AGRV', 'how do I apply', 'thank you very much', 'I speak French', 'my husband disappeared',
  'the argent', 'un agent est venu', 'je vais ranger la maison',
];

describe('distress is heard wherever she is (issue 19 §1)', () => {
  it('has the table the issue asks for: at least 40 phrasings, 5 states, 40 ordinary sentences', () => {
    expect(DISTRESS.length).toBeGreaterThanOrEqual(40);
    expect(STATES.length).toBeGreaterThanOrEqual(5);
    expect(ORDINARY.length).toBeGreaterThanOrEqual(40);
  });

  it.each(STATES.filter(([, , where]) => where))('the state "%s" stands where it says', (_name, make, where) => {
    expect(at(make())).toBe(where);
  });

  describe.each(STATES)('%s', (_state, make) => {
    it.each(DISTRESS)('"%s" gets the safety answer, which first acknowledges her', (text) => {
      const reply = say(make(), text);
      expect(reply.outputs.map((o) => o.text).slice(0, 3)).toEqual(['safety:danger', 'safety:not_emergency', 'safety:menu.prompt']);
      expect(reply.events.map((e) => e.type)).toContain('distress_heard');
    });
  });

  describe.each(STATES.filter(([name]) => name === 'main menu' || name === 'mid-reparations'))('%s', (_state, make) => {
    it.each(ORDINARY)('"%s" is not read as distress', (text) => {
      const reply = say(make(), text);
      expect(reply.outputs.map((o) => o.text)).not.toContain('safety:danger');
      expect(reply.events.map((e) => e.type)).not.toContain('distress_heard');
    });
  });

  it('SOS means safety, never help; the bare word AIDE / HELP stays help', () => {
    const menu = walk('Bonjour', '1');
    expect(say(menu, 'SOS').outputs[0].text).toBe('safety:danger');
    expect(say(menu, 'AIDE').outputs[0].text).not.toBe('safety:danger');
    expect(say(menu, 'AIDE').session.at.flow).toBe('help');
    expect(say(menu, 'help').session.at.flow).toBe('help');
  });

  it('a distress phrase beside a phone number, at the phone-number question, is still heard', () => {
    const asking = walk('Bonjour', '1', '3', '1', '1', '1', '1', '1', '1', '1');
    expect(say(asking, 'au secours 76 12 34 56').outputs[0].text).toBe('safety:danger');
  });

  it('the French safety answer first acknowledges her, plainly', () => {
    const fr = content.resources.fr.safety as Record<string, string>;
    expect(fr.danger.startsWith("Merci de l'avoir dit. Vous n'êtes pas seule.")).toBe(true);
  });
});

describe('after STOP (issue 19 §1)', () => {
  const distress = say(walk('Bonjour', '1', 'STOP'), 'au secours');
  const ordinary = say(walk('Bonjour', '1', 'STOP'), 'bonjour');

  it('a distress message after her own STOP keyword is answered with the safety answer', () => {
    expect(answersDistressAfterStop({ optedOut: true, optedOutSource: 'keyword' }, distress.events)).toBe(true);
  });
  it('any other message after her STOP stays unanswered', () => {
    expect(answersDistressAfterStop({ optedOut: true, optedOutSource: 'keyword' }, ordinary.events)).toBe(false);
  });
  it('after a carrier-level STOP (Twilio 21610) nothing is sent, not even the safety answer', () => {
    expect(answersDistressAfterStop({ optedOut: true, optedOutSource: 'carrier' }, distress.events)).toBe(false);
  });
});
