import { join } from 'node:path';
import { loadContent } from './content.loader';
import { Referral, loadReferrals, referralFacts, servableReferrals } from './referrals';
import { step } from '../engine/step';

const ROOT = join(__dirname, '..', '..');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);

const entry = (over: Partial<Referral> = {}): Referral => ({
  id: 'clinic',
  name: 'Clinique',
  place: 'Mopti',
  service: 'Aide juridique',
  contact: '00 00 00 00',
  source: '§10 test',
  verified_on: '2026-02-15',
  verified_by: 'A. T. (staff)',
  expires_after: 30,
  ...over,
});

describe('referral directory', () => {
  it('shows an entry verified by a named person, with a contact, within its validity', () => {
    expect(servableReferrals([entry()], NOW).map((r) => r.id)).toEqual(['clinic']);
  });

  it.each([
    ['never verified', { verified_on: null, verified_by: null }],
    ['verified without a name', { verified_by: null }],
    ['without a contact', { contact: null }],
    ['expired', { verified_on: '2026-01-01' }],
    ['verified in the future', { verified_on: '2026-03-10' }],
  ])('never shows an entry %s', (_why, over) => {
    expect(servableReferrals([entry(over as Partial<Referral>)], NOW)).toEqual([]);
    expect(referralFacts([entry(over as Partial<Referral>)], NOW)).toEqual({});
  });

  it('stops showing an entry the day its verification expires', () => {
    const verified = Date.parse('2026-02-15T00:00:00Z');
    expect(servableReferrals([entry()], verified + 30 * DAY - 1)).toHaveLength(1);
    expect(servableReferrals([entry()], verified + 30 * DAY)).toHaveLength(0);
  });

  it('ships the §10 services unverified, so none of their old numbers can be shown', () => {
    const { entries, problems } = loadReferrals(join(ROOT, 'locales'));
    expect(problems).toEqual([]);
    expect(entries.length).toBeGreaterThanOrEqual(10);
    expect(entries.map((e) => e.contact)).toContain('80 00 11 32');
    expect(entries.every((e) => e.verified_on === null && e.verified_by === null)).toBe(true);
    expect(servableReferrals(entries, NOW)).toEqual([]);
  });

  it('in the safety flow, says none is verified yet, or lists only what the shell passes as verified', () => {
    const { flowSet } = loadContent({ flowsDir: join(ROOT, 'flows'), localesDir: join(ROOT, 'locales') });
    const start = step(flowSet, null, { kind: 'text', text: 'danger' }, { now: NOW });
    const none = step(flowSet, start.session, { kind: 'text', text: '2' }, { now: NOW, facts: referralFacts([entry({ contact: null })], NOW) });
    expect(none.outputs.map((o) => o.text)).toEqual(['safety:referrals.none', 'safety:menu.prompt']);
    const facts = referralFacts([entry(), entry({ id: 'old', name: 'Vieux', verified_on: '2025-01-01' })], NOW);
    const some = step(flowSet, start.session, { kind: 'text', text: '2' }, { now: NOW, facts });
    expect(some.outputs[0]).toEqual({ text: 'safety:referrals.list', params: { referrals: 'Clinique, Mopti (Aide juridique) : 00 00 00 00' } });
  });
});
