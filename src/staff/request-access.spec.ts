import { parseStaffHours, windowFor } from '../callbacks';
import { isCallableNow, listedInQueue, mayActOn, mayBeGiven, mayClaim, maySee } from './request-access';
import type { StaffRole } from './staff.types';

const staff = (role: StaffRole, languages = ['bm'], id = 'me') => ({ id, role, languages });
const req = (over: Partial<{ status: 'pending' | 'claimed' | 'no_answer'; claimedBy: string | null; callLanguage: string }> = {}) => ({
  status: 'pending' as const,
  claimedBy: null,
  callLanguage: 'fr',
  ...over,
});

describe('the request access rule', () => {
  it('hides a request in another language from an agent, on every path, unless she holds it', () => {
    const agent = staff('agent');
    const french = req();
    expect(maySee(agent, french)).toBe(false);
    expect(listedInQueue(agent, french)).toBe(false);
    expect(mayClaim(agent, french, true)).toEqual({ ok: false, reason: 'hidden' });
    expect(mayActOn(agent, french)).toEqual({ ok: false, reason: 'hidden' });
    const heldFrench = req({ status: 'claimed', claimedBy: 'me' });
    expect(maySee(agent, heldFrench)).toBe(true);
    expect(mayActOn(agent, heldFrench)).toEqual({ ok: true });
  });

  it('lets an agent claim only a request callable now, and act only on one she holds', () => {
    const agent = staff('agent', ['fr']);
    expect(mayClaim(agent, req(), false)).toEqual({ ok: false, reason: 'not_callable' });
    expect(mayClaim(agent, req(), true)).toEqual({ ok: true });
    expect(mayClaim(agent, req({ status: 'claimed', claimedBy: 'me' }), false)).toEqual({ ok: true });
    expect(mayActOn(agent, req({ status: 'claimed', claimedBy: 'colleague' }))).toEqual({ ok: false, reason: 'not_holder' });
    expect(listedInQueue(agent, req({ status: 'claimed', claimedBy: 'colleague' }))).toBe(false);
    expect(maySee(agent, req({ status: 'claimed', claimedBy: 'colleague' }))).toBe(true);
  });

  it('leaves supervisors and admins every request, at any time', () => {
    for (const role of ['supervisor', 'admin'] as const) {
      const s = staff(role, []);
      expect(maySee(s, req())).toBe(true);
      expect(listedInQueue(s, req({ status: 'claimed', claimedBy: 'colleague' }))).toBe(true);
      expect(mayClaim(s, req(), false)).toEqual({ ok: true });
      expect(mayActOn(s, req({ status: 'claimed', claimedBy: 'colleague' }))).toEqual({ ok: true });
      expect(mayBeGiven(s, req())).toBe(true);
    }
    expect(mayBeGiven(staff('agent', ['bm']), req())).toBe(false);
  });

  it('calls "callable now" only a waiting request inside her window and staff hours', () => {
    const hours = parseStaffHours('08:00-18:00', '1-6');
    const mornings = [windowFor('morning', 'weekdays')];
    const thursday0930 = Date.UTC(2026, 0, 15, 9, 30);
    expect(isCallableNow({ status: 'pending', windows: mornings }, hours, thursday0930)).toBe(true);
    expect(isCallableNow({ status: 'pending', windows: mornings }, hours, Date.UTC(2026, 0, 15, 13, 0))).toBe(false);
    expect(isCallableNow({ status: 'no_answer', windows: mornings }, hours, thursday0930)).toBe(false);
  });
});
