import { returnCallRefusal, withinHours, type ReturnCallFacts } from './return-call.policy';

const ok: ReturnCallFacts = {
  minuteOfDay: 10 * 60, hours: '07:00-21:00', servedCountry: true, optedOutSomewhere: false,
  callsToday: 0, secondsToday: 0, dailyCalls: 200, dailyMinutes: 600,
};

describe('whether Sira may call her back', () => {
  it('calls back inside the hours, under the caps, to a served number that never said STOP', () => {
    expect(returnCallRefusal(ok)).toBeNull();
  });

  it('never calls a number that said STOP on any channel, nor one abroad', () => {
    expect(returnCallRefusal({ ...ok, optedOutSomewhere: true })).toBe('stopped');
    expect(returnCallRefusal({ ...ok, servedCountry: false })).toBe('country');
  });

  it('waits for the call hours (Africa/Bamako) and stops at the day\'s caps', () => {
    expect(returnCallRefusal({ ...ok, minuteOfDay: 6 * 60 + 59 })).toBe('hours');
    expect(returnCallRefusal({ ...ok, minuteOfDay: 21 * 60 })).toBe('hours');
    expect(returnCallRefusal({ ...ok, callsToday: 200 })).toBe('cap');
    expect(returnCallRefusal({ ...ok, secondsToday: 600 * 60 })).toBe('cap');
    expect(withinHours(7 * 60, '07:00-21:00')).toBe(true);
  });
});
